//! pikaffect/crystalize: being written.
