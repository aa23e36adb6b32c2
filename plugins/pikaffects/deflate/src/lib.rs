//! pikaffect/deflate: being written.
