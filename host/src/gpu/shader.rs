//! Plugin WGSL: validation with naga, reflection of the binding convention
//! (see the `gpu` interface in `wit/0.1.0`), and compute pipeline creation.

use super::{GpuContext, GpuError};
use naga::{AddressSpace, ImageClass, ImageDimension, ScalarKind, StorageFormat, TypeInner};

/// Binding of the uniforms: `var<storage, read> u: array<f32>`, or a
/// uniform block `var<uniform> u: array<vec4<f32>, N>` (four floats per
/// element, in the order passed), which a software adapter reads far faster
/// (one load for a whole SIMD batch of pixels instead of one per pixel).
pub const UNIFORMS_BINDING: u32 = 0;
/// Binding of the output storage texture.
pub const OUTPUT_BINDING: u32 = 1;
/// Binding of the bilinear clamp-to-edge sampler.
pub const SAMPLER_BINDING: u32 = 2;
/// Binding of the first input texture; input `i` is at `FIRST_INPUT_BINDING + i`.
pub const FIRST_INPUT_BINDING: u32 = 3;
/// Binding of `var<uniform> region: vec4<u32>` (pika:fx@0.3.0): the first
/// pixel of the dispatch in xy, the bottom-right corner (exclusive) of the
/// rectangle asked for in zw. High enough that inputs never reach it (a
/// stage samples at most 16 textures on any device wgpu supports).
pub const REGION_BINDING: u32 = 31;

/// What a compiled shader expects to be bound.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShaderLayout {
    /// Whether binding 0 (uniforms) is used.
    pub uses_uniforms: bool,
    /// Byte size of binding 0 when it is a `var<uniform>` block rather than
    /// a storage array; the host pads the uniforms with zeros to this size.
    pub uniform_block: Option<u32>,
    /// Whether binding 1 (output texture) is used, or (for the host's own
    /// passes) a read-write storage buffer at binding 1.
    pub uses_output: bool,
    /// Whether binding 2 (sampler) is used.
    pub uses_sampler: bool,
    /// Input texture indices the shader reads (binding - 3).
    pub inputs: Vec<u32>,
    /// Whether binding 31 (where the dispatch runs) is used.
    pub uses_region: bool,
    /// `@workgroup_size` of the entry point.
    pub workgroup_size: [u32; 3],
}

/// A naga diagnostic mapped back into the WGSL source.
#[derive(Clone, Debug)]
pub struct ShaderDiagnostic {
    /// naga's message.
    pub message: String,
    /// 1-based line and column, when known.
    pub location: Option<(u32, u32)>,
}

impl From<ShaderDiagnostic> for GpuError {
    fn from(d: ShaderDiagnostic) -> Self {
        GpuError::InvalidShader { message: d.message, location: d.location }
    }
}

/// A validated compute pipeline and what it binds.
#[derive(Debug)]
pub struct ComputeShader {
    pub(crate) pipeline: wgpu::ComputePipeline,
    layout: ShaderLayout,
    entry_point: String,
    /// What the pass timing calls it: the entry point and the first line
    /// of the source (a plugin's WGSL starts by naming itself).
    label: String,
}

impl ComputeShader {
    /// Validates `wgsl` with naga, checks it against the binding convention
    /// and the device's limits, then builds the pipeline.
    pub(crate) fn new(gpu: &GpuContext, wgsl: &str, entry_point: &str) -> Result<Self, GpuError> {
        let layout = validate(wgsl, entry_point)?;
        check_workgroup(gpu, &layout)?;
        let scope = gpu.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let module = gpu.device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some(entry_point),
            source: wgpu::ShaderSource::Wgsl(wgsl.into()),
        });
        let pipeline = gpu.device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(entry_point),
            layout: None,
            module: &module,
            entry_point: Some(entry_point),
            compilation_options: Default::default(),
            cache: None,
        });
        if let Some(err) = pollster::block_on(scope.pop()) {
            return Err(GpuError::InvalidShader { message: err.to_string(), location: None });
        }
        Ok(Self { pipeline, layout, entry_point: entry_point.to_owned(), label: pass_label(wgsl, entry_point) })
    }

    /// The entry point it was compiled for.
    pub fn entry_point(&self) -> &str {
        &self.entry_point
    }

    /// Its name in the pass timing (`plugin bench --passes`).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// What the shader binds.
    pub fn layout(&self) -> &ShaderLayout {
        &self.layout
    }
}

fn check_workgroup(gpu: &GpuContext, layout: &ShaderLayout) -> Result<(), GpuError> {
    let limits = gpu.device.limits();
    let [x, y, z] = layout.workgroup_size;
    let invocations = u64::from(x) * u64::from(y) * u64::from(z);
    if x > limits.max_compute_workgroup_size_x
        || y > limits.max_compute_workgroup_size_y
        || z > limits.max_compute_workgroup_size_z
        || invocations > u64::from(limits.max_compute_invocations_per_workgroup)
    {
        return Err(GpuError::LimitExceeded(format!(
            "@workgroup_size({x}, {y}, {z}) exceeds the device's limits ({}x{}x{}, {} invocations)",
            limits.max_compute_workgroup_size_x,
            limits.max_compute_workgroup_size_y,
            limits.max_compute_workgroup_size_z,
            limits.max_compute_invocations_per_workgroup
        )));
    }
    Ok(())
}

/// Parses and validates `wgsl`, then reflects the bindings `entry_point` uses.
pub fn validate(wgsl: &str, entry_point: &str) -> Result<ShaderLayout, ShaderDiagnostic> {
    let module = naga::front::wgsl::parse_str(wgsl).map_err(|e| ShaderDiagnostic {
        message: e.message().to_owned(),
        location: e.location(wgsl).map(|l| (l.line_number, l.line_position)),
    })?;
    let info = naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::default())
        .validate(&module)
        .map_err(|e| ShaderDiagnostic {
            message: e.as_inner().to_string(),
            location: e.location(wgsl).map(|l| (l.line_number, l.line_position)),
        })?;
    let (index, entry) = module
        .entry_points
        .iter()
        .enumerate()
        .find(|(_, ep)| ep.name == entry_point && ep.stage == naga::ShaderStage::Compute)
        .ok_or_else(|| {
            let names: Vec<&str> = module
                .entry_points
                .iter()
                .filter(|ep| ep.stage == naga::ShaderStage::Compute)
                .map(|ep| ep.name.as_str())
                .collect();
            ShaderDiagnostic {
                message: format!("no @compute entry point named `{entry_point}` (found: {})", names.join(", ")),
                location: None,
            }
        })?;
    let uses = info.get_entry_point(index);
    let mut layout = ShaderLayout {
        uses_uniforms: false,
        uniform_block: None,
        uses_output: false,
        uses_sampler: false,
        inputs: Vec::new(),
        uses_region: false,
        workgroup_size: entry.workgroup_size,
    };
    for (handle, var) in module.global_variables.iter() {
        let Some(binding) = &var.binding else { continue };
        if uses[handle].is_empty() {
            continue;
        }
        let name = var.name.as_deref().unwrap_or("<unnamed>");
        let located = |message: String| ShaderDiagnostic {
            message,
            location: {
                let span = module.global_variables.get_span(handle);
                span.is_defined().then(|| {
                    let l = span.location(wgsl);
                    (l.line_number, l.line_position)
                })
            },
        };
        if binding.group != 0 {
            return Err(located(format!("`{name}` uses @group({}); pikafx binds @group(0) only", binding.group)));
        }
        let inner = &module.types[var.ty].inner;
        match binding.binding {
            UNIFORMS_BINDING => match (var.space, inner) {
                (AddressSpace::Storage { access }, TypeInner::Array { .. })
                    if !access.contains(naga::StorageAccess::STORE) =>
                {
                    layout.uses_uniforms = true
                }
                (AddressSpace::Uniform, TypeInner::Array { base, size: naga::ArraySize::Constant(_), .. })
                    if matches!(
                        module.types[*base].inner,
                        TypeInner::Vector { size: naga::VectorSize::Quad, scalar: naga::Scalar::F32 }
                    ) =>
                {
                    layout.uses_uniforms = true;
                    layout.uniform_block = Some(inner.size(module.to_ctx()));
                }
                _ => {
                    return Err(located(format!(
                        "@binding(0) `{name}` must be `var<storage, read> u: array<f32>` or \
                         `var<uniform> u: array<vec4<f32>, N>`"
                    )));
                }
            },
            OUTPUT_BINDING => match inner {
                TypeInner::Image {
                    dim: ImageDimension::D2,
                    arrayed: false,
                    class: ImageClass::Storage { format: StorageFormat::Rgba8Unorm, .. },
                } => layout.uses_output = true,
                _ => {
                    return Err(located(format!(
                        "@binding(1) `{name}` must be `texture_storage_2d<rgba8unorm, write>`"
                    )));
                }
            },
            SAMPLER_BINDING => match inner {
                TypeInner::Sampler { comparison: false } => layout.uses_sampler = true,
                _ => return Err(located(format!("@binding(2) `{name}` must be a `sampler`"))),
            },
            REGION_BINDING => match (var.space, inner) {
                (
                    AddressSpace::Uniform,
                    TypeInner::Vector { size: naga::VectorSize::Quad, scalar: naga::Scalar::U32 },
                ) => layout.uses_region = true,
                _ => {
                    return Err(located(format!("@binding(31) `{name}` must be `var<uniform> region: vec4<u32>`")));
                }
            },
            n => match inner {
                TypeInner::Image {
                    dim: ImageDimension::D2,
                    arrayed: false,
                    class: ImageClass::Sampled { kind: ScalarKind::Float, multi: false },
                } => layout.inputs.push(n - FIRST_INPUT_BINDING),
                _ => return Err(located(format!("@binding({n}) `{name}` must be a `texture_2d<f32>` input"))),
            },
        }
    }
    layout.inputs.sort_unstable();
    Ok(layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "
@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var input0: texture_2d<f32>;
@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    textureStore(output, vec2<i32>(id.xy), textureLoad(input0, vec2<i32>(id.xy), 0) * u[0]);
}
";

    #[test]
    fn reflects_the_bindings_an_entry_point_uses() {
        let layout = validate(GOOD, "main").expect("valid shader");
        assert!(layout.uses_uniforms && layout.uses_output && !layout.uses_sampler);
        assert_eq!(layout.inputs, vec![0]);
        assert_eq!(layout.workgroup_size, [8, 8, 1]);
    }

    #[test]
    fn accepts_a_uniform_block_of_vec4_and_reports_its_size() {
        let block = GOOD
            .replace("var<storage, read> u: array<f32>", "var<uniform> u: array<vec4<f32>, 3>")
            .replace("* u[0]", "* u[0].x");
        let layout = validate(&block, "main").expect("valid shader");
        assert!(layout.uses_uniforms);
        assert_eq!(layout.uniform_block, Some(48));
        assert_eq!(validate(GOOD, "main").expect("valid").uniform_block, None);
        let scalars = GOOD.replace("var<storage, read> u: array<f32>", "var<uniform> u: array<vec4<u32>, 3>");
        let err = validate(&scalars.replace("* u[0]", "* f32(u[0].x)"), "main").expect_err("not f32");
        assert!(err.message.contains("array<vec4<f32>, N>"), "{}", err.message);
    }

    #[test]
    fn reflects_the_region_binding_and_rejects_other_types_there() {
        let region = GOOD
            .replace("@compute", "@group(0) @binding(31) var<uniform> region: vec4<u32>;\n@compute")
            .replace("vec2<i32>(id.xy), textureLoad", "vec2<i32>(id.xy + region.xy), textureLoad");
        let layout = validate(&region, "main").expect("valid shader");
        assert!(layout.uses_region);
        assert_eq!(layout.inputs, vec![0], "binding 31 is not an input");
        assert!(!validate(GOOD, "main").expect("valid").uses_region);
        let wrong = region
            .replace("var<uniform> region: vec4<u32>", "var<uniform> region: vec4<f32>")
            .replace("id.xy + region.xy", "id.xy + vec2<u32>(region.xy)");
        let err = validate(&wrong, "main").expect_err("region must be vec4<u32>");
        assert!(err.message.contains("@binding(31)"), "{}", err.message);
    }

    #[test]
    fn type_errors_carry_line_and_column() {
        let bad = GOOD.replace("* u[0]", "* true");
        let err = validate(&bad, "main").expect_err("invalid shader");
        let (line, _col) = err.location.expect("location");
        assert_eq!(line, 7, "{err:?}");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let bad = GOOD.replace("fn main(", "fn main(((");
        let err = validate(&bad, "main").expect_err("invalid shader");
        assert_eq!(err.location.map(|l| l.0), Some(6), "{err:?}");
    }

    #[test]
    fn rejects_bindings_outside_the_convention() {
        let bad = GOOD.replace(
            "@binding(1) var output: texture_storage_2d<rgba8unorm, write>",
            "@binding(1) var output: texture_storage_2d<rgba16float, write>",
        );
        let err = validate(&bad, "main").expect_err("wrong output format");
        assert!(err.message.contains("rgba8unorm"), "{}", err.message);
        let missing = validate(GOOD, "nope").expect_err("no such entry point");
        assert!(missing.message.contains("found: main"), "{}", missing.message);
    }
}

/// A shader's name in the pass timing: `entry: ` and the start of the first
/// comment of its source, without comment markers (`frag_main: shatter: the
/// subject shatters like a pane...`): a plugin's WGSL starts by naming
/// itself, maybe after a line of code the plugin put in front.
fn pass_label(wgsl: &str, entry_point: &str) -> String {
    const MOST: usize = 60;
    let first = wgsl
        .lines()
        .filter_map(|line| line.split_once("//").map(|(_, comment)| comment))
        .map(|comment| comment.trim_matches(|c: char| c == '/' || c == '-' || c.is_whitespace()))
        .find(|comment| !comment.is_empty())
        .unwrap_or("");
    let summary: String = first.chars().take(MOST).collect();
    let ellipsis = if first.chars().count() > MOST { "..." } else { "" };
    format!("{entry_point}: {summary}{ellipsis}")
}

#[cfg(test)]
mod label_tests {
    use super::pass_label;

    #[test]
    fn a_pass_is_named_by_its_entry_point_and_first_comment() {
        assert_eq!(pass_label("// ---- melt: drips ----\nfn main() {}", "main"), "main: melt: drips");
        assert_eq!(pass_label("const N: u32 = 5u; // shatter: glass\n", "frag_main"), "frag_main: shatter: glass");
        assert_eq!(pass_label("fn main() {}", "main"), "main: ");
        let long = format!("// {}", "x".repeat(100));
        assert_eq!(pass_label(&long, "main"), format!("main: {}...", "x".repeat(60)));
    }
}
