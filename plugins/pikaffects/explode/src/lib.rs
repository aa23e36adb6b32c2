//! pikaffect/explode: being written.
