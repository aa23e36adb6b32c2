//! The subject passes most Pikaffects start a frame with: the host's mask,
//! the subject's box ([`crate::wgsl::BOUNDS_PASS`]) and the coarse
//! background fill ([`crate::wgsl::COARSE_FILL_PASS`]), compiled once per
//! clip and run in that order.

use crate::gpu::{coarse_fill, coarse_fill_size, compile, subject_bounds, subject_mask};
use crate::wgsl::{BOUNDS_PASS, COARSE_FILL_PASS, SUBJECT, with_prelude};
use crate::{ClipInfo, Shader, Texture};

/// The compiled subject-bounds and coarse-fill passes for one clip.
pub struct SubjectPasses {
    bounds: Shader,
    fill: Shader,
    fill_size: (u32, u32),
}

/// One frame's subject, as [`SubjectPasses::run`] leaves it: the inputs at
/// bindings 4, 5 and 6 of an effect that binds them in that order after
/// the frame (`SUBJECT_MASK`, `SUBJECT_BOUNDS` and `COARSE_FILL` of a
/// [`crate::ShaderEffect`]).
pub struct Subject {
    /// The host's soft subject mask (red, 0..1), the frame's size.
    pub mask: Texture,
    /// The subject's box, centroid and area (read with [`crate::wgsl::BOUNDS`]).
    pub bounds: Texture,
    /// The coarse background fill (read with [`crate::wgsl::COARSE_FILL`]).
    pub fill: Texture,
}

impl SubjectPasses {
    /// Compiles both passes, the fill sized for `clip`'s frames.
    pub fn new(clip: &ClipInfo) -> Result<Self, String> {
        Ok(Self {
            bounds: compile(BOUNDS_PASS, "main")?,
            fill: compile(&with_prelude(COARSE_FILL_PASS, &[SUBJECT]), "main")?,
            fill_size: coarse_fill_size(clip.width, clip.height),
        })
    }

    /// The mask, box and fill of `frame`.
    pub fn run(&self, frame: &Texture) -> Result<Subject, String> {
        let mask = subject_mask(frame)?;
        let bounds = subject_bounds(&self.bounds, &mask)?;
        let fill = coarse_fill(&self.fill, frame, &mask, self.fill_size)?;
        Ok(Subject { mask, bounds, fill })
    }
}
