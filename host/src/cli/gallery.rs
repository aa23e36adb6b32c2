//! `pikafx gallery`: every effect (and any extra stacks, e.g. blended
//! looks) rendered on one sample clip into before/after contact sheets,
//! with an index page, and optionally a full MP4 preview of each.

use super::setup::CommonArgs;
use crate::plugin::EffectInfo;
use crate::render::{RenderOptions, Renderer, contact_sheet};
use crate::stack::{Layer, Stack};
use anyhow::{Context, bail};
use clap::Args;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Arguments of `pikafx gallery`.
#[derive(Debug, Args)]
pub struct GalleryArgs {
    /// The sample clip every effect is rendered on.
    pub input: PathBuf,
    /// Output directory: one `<kind>-<id>.png` sheet per effect, `README.md`
    /// linking them, and with `--animated` an MP4 per effect.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Extra stacks to show (JSON, e.g. blended looks); repeatable.
    #[arg(long = "stack", value_name = "FILE")]
    pub stacks: Vec<PathBuf>,
    /// Frames per sheet, spread over the clip.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=16))]
    pub frames: u16,
    /// Width of each cell in pixels.
    #[arg(long, default_value_t = 240)]
    pub cell_width: u32,
    /// Also render each entry over the whole clip to `<name>.mp4`.
    #[arg(long)]
    pub animated: bool,
    /// Only effects whose reference contains this text.
    #[arg(long)]
    pub only: Option<String>,
}

/// One sheet of the gallery.
struct Entry {
    slug: String,
    title: String,
    description: String,
    stack: Stack,
}

/// Runs `pikafx gallery`.
pub fn run(common: &CommonArgs, args: GalleryArgs) -> anyhow::Result<()> {
    crate::media::init()?;
    let runtime = common.runtime()?;
    let catalog = common.catalog(&runtime)?;
    let mut infos: Vec<&EffectInfo> = catalog.plugins().iter().map(|p| p.info()).collect();
    infos.sort_by(|a, b| (a.kind.as_str(), &a.id).cmp(&(b.kind.as_str(), &b.id)));
    let mut entries: Vec<Entry> = infos
        .into_iter()
        .filter(|info| args.only.as_ref().is_none_or(|text| info.reference().contains(text.as_str())))
        .map(|info| Entry {
            slug: format!("{}-{}", info.kind, info.id),
            title: format!("{} (`{}`)", info.name, info.reference()),
            description: info.description.clone(),
            stack: Stack { layers: vec![Layer::new(info.reference())], overlays: Vec::new() },
        })
        .collect();
    for file in &args.stacks {
        let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let stack = Stack::from_json(&text).with_context(|| format!("{}", file.display()))?;
        let name = file.file_stem().and_then(|s| s.to_str()).unwrap_or("stack").to_owned();
        let layers: Vec<String> = stack
            .layers
            .iter()
            .map(|l| if l.mix < 1.0 { format!("`{}` (mix {})", l.effect, l.mix) } else { format!("`{}`", l.effect) })
            .collect();
        entries.push(Entry {
            slug: format!("stack-{name}"),
            title: format!("Stack `{name}`"),
            description: format!("Blended look: {}.", layers.join(" then ")),
            stack,
        });
    }
    if entries.is_empty() {
        bail!("nothing to render: no effect matches and no --stack was given");
    }
    std::fs::create_dir_all(&args.output).with_context(|| format!("creating {}", args.output.display()))?;
    let renderer = common.renderer(runtime)?;
    let mut index = String::from(
        "# Effect gallery\n\nEvery effect on the same sample clip: the source on top, the result below, at frames \
         spread over the clip. Made with `make gallery` (`pikafx gallery`).\n",
    );
    let mut failures = Vec::new();
    for entry in &entries {
        match render_entry(&renderer, common, &args, entry, &catalog) {
            Ok(animated) => {
                let _ = write!(
                    index,
                    "\n## {}\n\n{}\n\n![{}]({}.png)\n",
                    entry.title, entry.description, entry.slug, entry.slug
                );
                if animated {
                    // The MP4s are large and stay out of git (docs/gallery/.gitignore):
                    // say so, rather than leave a link that is dead in the repo.
                    let _ = writeln!(
                        index,
                        "\n[animated preview]({}.mp4) (written by `make gallery`, not committed)",
                        entry.slug
                    );
                }
                if !common.quiet {
                    println!("{}: {}", entry.slug, args.output.join(format!("{}.png", entry.slug)).display());
                }
            }
            Err(e) => {
                eprintln!("error: {}: {e:#}", entry.slug);
                failures.push(entry.slug.clone());
            }
        }
    }
    let index_path = args.output.join("README.md");
    std::fs::write(&index_path, index).with_context(|| format!("writing {}", index_path.display()))?;
    if !failures.is_empty() {
        bail!("{} of {} entries failed: {}", failures.len(), entries.len(), failures.join(", "));
    }
    Ok(())
}

/// Renders one entry's sheet (and MP4); returns whether an MP4 was made.
fn render_entry(
    renderer: &Renderer,
    common: &CommonArgs,
    args: &GalleryArgs,
    entry: &Entry,
    catalog: &crate::plugin::Catalog,
) -> anyhow::Result<bool> {
    let prepared = entry.stack.prepare(catalog)?;
    let options = RenderOptions { limits: common.media_limits(), ..RenderOptions::default() };
    let (frames, _warnings) =
        renderer.preview(&args.input, &prepared, usize::from(args.frames), &options, &mut |_, _| {})?;
    let sheet = contact_sheet(&frames, args.cell_width).context("building the contact sheet")?;
    let png = args.output.join(format!("{}.png", entry.slug));
    sheet.save(&png).with_context(|| format!("writing {}", png.display()))?;
    if args.animated {
        let mp4: &Path = &args.output.join(format!("{}.mp4", entry.slug));
        renderer.render_file(&args.input, mp4, &prepared, &options, &mut |_, _| {})?;
    }
    Ok(args.animated)
}
