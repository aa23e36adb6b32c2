//! style/sketch: being written.
