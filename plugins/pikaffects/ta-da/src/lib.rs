//! pikaffect/ta-da: being written.
