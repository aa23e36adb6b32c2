//! pikaffect/inflate: being written.
