//! pikaffect/levitate: being written.
