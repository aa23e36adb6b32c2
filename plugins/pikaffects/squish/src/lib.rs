//! pikaffect/squish: being written.
