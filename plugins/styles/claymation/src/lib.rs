//! style/claymation: being written.
