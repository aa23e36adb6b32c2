//! style/watercolor: being written.
