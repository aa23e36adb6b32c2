//! pikaffect/dissolve: being written.
