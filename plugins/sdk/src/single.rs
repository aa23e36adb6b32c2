//! One-shader effects without boilerplate: implement [`ShaderEffect`]
//! (the description, the WGSL, how parameters become uniforms) and write
//! `pikafx_sdk::export_shader_effect!(MyLook);`. The macro generates the
//! `Guest` and `GuestRenderer` implementations: `create` compiles the shader
//! once per clip, `render` dispatches it over the frame with the uniforms.

use crate::{ClipInfo, EffectInfo, FrameContext, Params};

/// An effect that is one compute shader over the frame (binding
/// convention: `u` at 0, the output at 1, the linear sampler at 2, the
/// frame at 3; then, when [`ShaderEffect::SUBJECT_MASK`] is set, the host's
/// subject mask (red channel, 0..1) at 4; then, when
/// [`ShaderEffect::SUBJECT_BOUNDS`] is set, the subject-bounds texture at
/// the next binding (read it with [`crate::wgsl::BOUNDS`]); then, when
/// [`ShaderEffect::COARSE_FILL`] is set, the coarse background fill at the
/// next binding (read it with [`crate::wgsl::COARSE_FILL`]); then, when
/// [`ShaderEffect::HISTORY`] > 0, the previous input frames in order,
/// newest first; and, when [`ShaderEffect::REGION`] is set, where the
/// dispatch runs at 31).
pub trait ShaderEffect {
    /// The WGSL source; its entry point is `main`.
    const WGSL: &'static str;
    /// Whether the shader reads the subject mask (Pikaffects do).
    const SUBJECT_MASK: bool = false;
    /// Previous input frames the shader reads (missing ones repeat the
    /// current frame).
    const HISTORY: u32 = 0;
    /// Whether the shader reads where the subject is (its box, centroid and
    /// area; implies [`ShaderEffect::SUBJECT_MASK`]). Add
    /// [`crate::wgsl::BOUNDS`] to [`ShaderEffect::PRELUDE`] to read it.
    const SUBJECT_BOUNDS: bool = false;
    /// Whether the shader reads the SDK's coarse background fill (implies
    /// [`ShaderEffect::SUBJECT_MASK`]): a small texture, one
    /// `background_fill` per ~16x16 pixel cell, made by a pass of its own
    /// each frame. Prefer it to calling [`crate::wgsl::SUBJECT`]'s
    /// `background_fill` per pixel: on a software GPU a shader pays for that
    /// call's code on every pixel, taken or not (~5 ms a 720p frame). Add
    /// [`crate::wgsl::COARSE_FILL`] to [`ShaderEffect::PRELUDE`] to read it.
    const COARSE_FILL: bool = false;
    /// Whether the effect changes only part of the frame, which its WGSL
    /// names in `fn effect_region() -> vec4<f32>` (min x, min y, max x,
    /// max y in frame pixels, from the uniforms and the inputs; empty where
    /// nothing changes), its `main` reading its pixel as
    /// `region_pixel(global_invocation_id)`. The SDK then appends
    /// [`crate::wgsl::REGION`], works the rectangle out on the GPU each
    /// frame and dispatches `main` over it only (`dispatch-region`); the
    /// rest of the output is the frame. On a software GPU, which runs
    /// every line of a shader for every pixel whatever the branches, this
    /// is what makes an effect on a small subject cheap.
    const REGION: bool = false;
    /// Shared WGSL helpers appended to [`ShaderEffect::WGSL`], e.g.
    /// `&[pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT]`.
    const PRELUDE: &'static [&'static str] = &[];

    /// What the plugin is (`history_frames` should equal [`ShaderEffect::HISTORY`]).
    fn describe() -> EffectInfo;

    /// The uniforms for one frame.
    fn uniforms(clip: &ClipInfo, ctx: &FrameContext, params: &Params<'_>) -> Vec<f32>;
}

/// Implements `Guest` and `GuestRenderer` for a [`ShaderEffect`] and
/// exports it.
#[macro_export]
macro_rules! export_shader_effect {
    ($effect:ident) => {
        #[doc(hidden)]
        pub struct ShaderEffectRenderer {
            shader: $crate::Shader,
            bounds_pass: ::std::option::Option<$crate::Shader>,
            fill_pass: ::std::option::Option<$crate::Shader>,
            region_pass: ::std::option::Option<$crate::Shader>,
            clip: $crate::ClipInfo,
        }

        impl $crate::Guest for $effect {
            type Renderer = ShaderEffectRenderer;

            fn describe() -> $crate::EffectInfo {
                <$effect as $crate::ShaderEffect>::describe()
            }

            fn create(
                clip: $crate::ClipInfo,
                _params: ::std::vec::Vec<(::std::string::String, $crate::ParamValue)>,
            ) -> ::std::result::Result<$crate::Renderer, ::std::string::String> {
                let region = <$effect as $crate::ShaderEffect>::REGION;
                let mut prelude = <$effect as $crate::ShaderEffect>::PRELUDE.to_vec();
                if region {
                    prelude.push($crate::wgsl::REGION);
                }
                let source = $crate::wgsl::with_prelude(<$effect as $crate::ShaderEffect>::WGSL, &prelude);
                let shader = $crate::compile(&source, "main")?;
                let region_pass = if region {
                    ::std::option::Option::Some($crate::compile(&source, "region_main")?)
                } else {
                    ::std::option::Option::None
                };
                let bounds_pass = if <$effect as $crate::ShaderEffect>::SUBJECT_BOUNDS {
                    ::std::option::Option::Some($crate::compile($crate::wgsl::BOUNDS_PASS, "main")?)
                } else {
                    ::std::option::Option::None
                };
                let fill_pass = if <$effect as $crate::ShaderEffect>::COARSE_FILL {
                    let fill = $crate::wgsl::with_prelude($crate::wgsl::COARSE_FILL_PASS, &[$crate::wgsl::SUBJECT]);
                    ::std::option::Option::Some($crate::compile(&fill, "main")?)
                } else {
                    ::std::option::Option::None
                };
                ::std::result::Result::Ok($crate::Renderer::new(ShaderEffectRenderer {
                    shader,
                    bounds_pass,
                    fill_pass,
                    region_pass,
                    clip,
                }))
            }
        }

        impl $crate::GuestRenderer for ShaderEffectRenderer {
            fn render(
                &self,
                ctx: $crate::FrameContext,
                params: ::std::vec::Vec<(::std::string::String, $crate::ParamValue)>,
                input: &$crate::Texture,
                history: ::std::vec::Vec<$crate::Texture>,
                output: &$crate::Texture,
            ) -> ::std::result::Result<(), ::std::string::String> {
                let uniforms =
                    <$effect as $crate::ShaderEffect>::uniforms(&self.clip, &ctx, &$crate::Params::new(&params));
                let wanted = <$effect as $crate::ShaderEffect>::HISTORY as usize;
                let mask = if <$effect as $crate::ShaderEffect>::SUBJECT_MASK
                    || self.bounds_pass.is_some()
                    || self.fill_pass.is_some()
                {
                    ::std::option::Option::Some($crate::subject_mask(input)?)
                } else {
                    ::std::option::Option::None
                };
                let bounds = match (&self.bounds_pass, &mask) {
                    (::std::option::Option::Some(pass), ::std::option::Option::Some(mask)) => {
                        ::std::option::Option::Some($crate::subject_bounds(pass, mask)?)
                    }
                    _ => ::std::option::Option::None,
                };
                let fill = match (&self.fill_pass, &mask) {
                    (::std::option::Option::Some(pass), ::std::option::Option::Some(mask)) => {
                        let size = $crate::coarse_fill_size(self.clip.width, self.clip.height);
                        ::std::option::Option::Some($crate::coarse_fill(pass, input, mask, size)?)
                    }
                    _ => ::std::option::Option::None,
                };
                let mut inputs: ::std::vec::Vec<&$crate::Texture> = ::std::vec![input];
                if let ::std::option::Option::Some(mask) = &mask {
                    inputs.push(mask);
                }
                if let ::std::option::Option::Some(bounds) = &bounds {
                    inputs.push(bounds);
                }
                if let ::std::option::Option::Some(fill) = &fill {
                    inputs.push(fill);
                }
                for i in 0..wanted {
                    inputs.push(history.get(i).unwrap_or(input));
                }
                match &self.region_pass {
                    ::std::option::Option::Some(pass) => {
                        $crate::dispatch_in_region(pass, &self.shader, &inputs, output, &uniforms)
                    }
                    ::std::option::Option::None => $crate::dispatch(&self.shader, &inputs, output, &uniforms),
                }
            }
        }

        $crate::export_effect!($effect);
    };
}
