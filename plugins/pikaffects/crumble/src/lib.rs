//! pikaffect/crumble: being written.
