//! `pikafx plugin new`: scaffold a standalone plugin project (Rust, Python
//! or JavaScript) that builds into a working effect.
//!
//! The templates live in `host/templates/` and are embedded in the binary;
//! the WIT contract is vendored into every project so it builds on its own.

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use std::fmt;
use std::path::{Path, PathBuf};

/// The contract every scaffolded project targets, vendored as `wit/pika-fx.wit`.
const WIT: &str = include_str!("../../../../wit/0.1.0/pika-fx.wit");
const README: &str = include_str!("../../../templates/README.md");
const GITIGNORE: &str = include_str!("../../../templates/gitignore");
const STYLE_WGSL: &str = include_str!("../../../templates/style.wgsl");
const PIKAFFECT_WGSL: &str = include_str!("../../../templates/pikaffect.wgsl");
const RUST_CARGO_TOML: &str = include_str!("../../../templates/rust/Cargo.toml");
const RUST_COMMON: &str = include_str!("../../../templates/rust/common.rs");
const RUST_STYLE: &str = include_str!("../../../templates/rust/style.rs");
const RUST_PIKAFFECT: &str = include_str!("../../../templates/rust/pikaffect.rs");
const PY_COMMON: &str = include_str!("../../../templates/python/common.py");
const PY_STYLE: &str = include_str!("../../../templates/python/style.py");
const PY_PIKAFFECT: &str = include_str!("../../../templates/python/pikaffect.py");
const JS_PACKAGE: &str = include_str!("../../../templates/js/package.json");
const JS_COMMON: &str = include_str!("../../../templates/js/common.js");
const JS_STYLE: &str = include_str!("../../../templates/js/style.js");
const JS_PIKAFFECT: &str = include_str!("../../../templates/js/pikaffect.js");

/// Longest accepted effect id.
const MAX_NAME_LEN: usize = 48;

/// The language of a scaffolded plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Rust with wit-bindgen, built with cargo for `wasm32-wasip2`.
    Rust,
    /// Python, built with componentize-py.
    Python,
    /// JavaScript, built with componentize-js.
    Js,
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lang::Rust => "Rust",
            Lang::Python => "Python",
            Lang::Js => "JavaScript",
        })
    }
}

/// What the scaffolded effect is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// A style preset over the whole frame (a warm/cool tint with contrast).
    Style,
    /// A Pikaffect: the subject (host subject mask) turns to gold over time.
    Pikaffect,
}

impl Kind {
    /// The kind as stacks spell it (`style/ID`, `pikaffect/ID`).
    fn as_str(self) -> &'static str {
        match self {
            Kind::Style => "style",
            Kind::Pikaffect => "pikaffect",
        }
    }
}

/// Arguments of `pikafx plugin new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Effect id and directory name: lower-case kebab-case, e.g. `warm-tint`.
    pub name: String,
    /// Language of the plugin.
    #[arg(long, value_enum)]
    pub lang: Lang,
    /// What the effect is: a style preset or a Pikaffect (uses the subject mask).
    #[arg(long, value_enum, default_value_t = Kind::Style)]
    pub kind: Kind,
    /// Directory to create the project in (the project goes into `DIR/NAME`).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

/// Checks that `name` is lower-case kebab-case (`[a-z][a-z0-9]*(-[a-z0-9]+)*`).
pub fn validate_name(name: &str) -> anyhow::Result<()> {
    let problem = if name.is_empty() {
        Some("it is empty".to_owned())
    } else if name.len() > MAX_NAME_LEN {
        Some(format!("it is longer than {MAX_NAME_LEN} characters"))
    } else if name.chars().any(|c| c.is_uppercase()) {
        Some("it has upper-case letters".to_owned())
    } else if let Some(c) = name.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
        Some(format!("it contains {c:?}; use only a-z, 0-9 and '-'"))
    } else if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        Some("it must start with a letter a-z".to_owned())
    } else if name.ends_with('-') || name.contains("--") {
        Some("'-' must separate words (no leading, trailing or double '-')".to_owned())
    } else {
        None
    };
    match problem {
        Some(p) => bail!("invalid plugin name {name:?}: {p} (expected lower-case kebab-case, e.g. `warm-tint`)"),
        None => Ok(()),
    }
}

/// `warm-tint` -> `Warm tint`.
fn title(name: &str) -> String {
    let words = name.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Replaces every `{{key}}` in `template`.
fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    vars.iter().fold(template.to_owned(), |text, (key, value)| text.replace(&format!("{{{{{key}}}}}"), value))
}

/// The files of a project, relative to its directory.
fn project_files(name: &str, lang: Lang, kind: Kind) -> Vec<(PathBuf, String)> {
    let title = title(name);
    let kind_str = kind.as_str();
    let wgsl = fill(
        match kind {
            Kind::Style => STYLE_WGSL,
            Kind::Pikaffect => PIKAFFECT_WGSL,
        },
        &[("id", name)],
    );
    let vars: [(&str, &str); 3] = [("id", name), ("title", &title), ("kind", kind_str)];
    let source = |common: &str, style: &str, pikaffect: &str, wgsl: &str| {
        let body = match kind {
            Kind::Style => style,
            Kind::Pikaffect => pikaffect,
        };
        let body = fill(body, &[("common", common), ("wgsl", wgsl)]);
        fill(&body, &vars)
    };
    let mut files = vec![(PathBuf::from("wit/pika-fx.wit"), WIT.to_owned())];
    let (files_doc, setup, build_command, change) = match lang {
        Lang::Rust => {
            files.push((PathBuf::from("Cargo.toml"), fill(RUST_CARGO_TOML, &vars)));
            files.push((PathBuf::from("src/lib.rs"), source(RUST_COMMON, RUST_STYLE, RUST_PIKAFFECT, "")));
            files.push((PathBuf::from("src/effect.wgsl"), wgsl));
            (
                "- `Cargo.toml`: a `cdylib` crate depending on `wit-bindgen`, with a small, fast release profile.\n\
                 - `src/lib.rs`: `describe` (id, kind, parameters), `create` (compiles the shader), `render` (one dispatch per frame).\n\
                 - `src/effect.wgsl`: the compute shader.\n\
                 - `wit/pika-fx.wit`: the contract (do not edit)."
                    .to_owned(),
                "```sh\nrustup target add wasm32-wasip2\n```".to_owned(),
                format!(
                    "cargo build --target wasm32-wasip2 --release\ncp target/wasm32-wasip2/release/{}.wasm {name}.wasm",
                    name.replace('-', "_")
                ),
                "Edit `src/effect.wgsl` (uniform `u[i]` is the i-th value of the `uniforms` array in `render`) \
                 and the parameters in `describe`. The host validates the WGSL with naga and reports errors with \
                 line and column."
                    .to_owned(),
            )
        }
        Lang::Python => {
            files.push((PathBuf::from("app.py"), source(PY_COMMON, PY_STYLE, PY_PIKAFFECT, &wgsl)));
            (
                "- `app.py`: `Effect.describe` (id, kind, parameters), `Effect.create` (compiles the WGSL shader), `Renderer.render` (one dispatch per frame).\n\
                 - `wit/pika-fx.wit`: the contract (do not edit)."
                    .to_owned(),
                "```sh\npip install componentize-py==0.25.1\n```\n\n\
                 Typed bindings to read (optional): `componentize-py -d wit -w plugin bindings bindings/`."
                    .to_owned(),
                format!("componentize-py -d wit -w plugin componentize --stub-wasi app -o {name}.wasm"),
                "Edit the `WGSL` string (uniform `u[i]` is the i-th value passed to `gpu.dispatch`) and the \
                 parameters in `describe`. `--stub-wasi` leaves the component without WASI: `print` traps, use \
                 `log.log(...)`. Python is far too slow to touch pixels: keep the work in the shader."
                    .to_owned(),
            )
        }
        Lang::Js => {
            files.push((PathBuf::from("package.json"), fill(JS_PACKAGE, &vars)));
            files.push((PathBuf::from("app.js"), source(JS_COMMON, JS_STYLE, JS_PIKAFFECT, &wgsl)));
            (
                "- `app.js`: `describe` (id, kind, parameters), `create` (compiles the WGSL shader), `Renderer.render` (one dispatch per frame).\n\
                 - `package.json`: pins componentize-js and the preview2-shim it needs.\n\
                 - `wit/pika-fx.wit`: the contract (do not edit)."
                    .to_owned(),
                "Node.js >= 20 with npm, then:\n\n```sh\nnpm install\n```\n\n(`pikafx plugin build` runs it when `node_modules` is missing.)".to_owned(),
                format!("npx componentize-js app.js -w wit -n plugin -d http fetch-event -o {name}.wasm"),
                "Edit the `WGSL` string (uniform `u[i]` is the i-th value passed to `dispatch`) and the \
                 parameters in `describe`. `-d http fetch-event` keeps `wasi:http` out of the component \
                 (the host refuses it)."
                    .to_owned(),
            )
        }
    };
    let (summary, param, param_value) = match kind {
        Kind::Style => {
            ("a warm or cool tint with a contrast curve (parameters `warmth`, `contrast`).", "warmth", "-0.8")
        }
        Kind::Pikaffect => (
            "the subject (the host's subject mask) turns to gold over the layer's time range; the background \
             stays (parameters `intensity`, `shine`).",
            "shine",
            "0.8",
        ),
    };
    let readme = fill(
        README,
        &[
            ("files", &files_doc),
            ("setup", &setup),
            ("build_command", &build_command),
            ("change", &change),
            ("summary", summary),
            ("param_value", param_value),
            ("param", param),
            ("language", &lang.to_string()),
            ("clip_command", clip_command(kind)),
        ],
    );
    files.push((PathBuf::from("README.md"), fill(&readme, &vars)));
    files.push((PathBuf::from(".gitignore"), GITIGNORE.to_owned()));
    files
}

/// An ffmpeg command that makes a test clip `clip.mp4` that shows the effect:
/// a test pattern for a style, a white "subject" on a plain ground for a
/// Pikaffect (the host's subject mask finds it).
fn clip_command(kind: Kind) -> &'static str {
    match kind {
        Kind::Style => "ffmpeg -f lavfi -i testsrc2=s=640x360:r=25:d=3 -c:v libx264 -pix_fmt yuv420p clip.mp4",
        Kind::Pikaffect => {
            "ffmpeg -f lavfi -i color=c=0x183050:s=640x360:r=25:d=3,drawbox=x=220:y=100:w=200:h=160:color=white:t=fill \
             -c:v libx264 -pix_fmt yuv420p clip.mp4"
        }
    }
}

/// Writes `files` under `root`, creating folders as needed.
fn write_files(root: &Path, files: &[(PathBuf, String)]) -> anyhow::Result<()> {
    for (rel, text) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Runs `pikafx plugin new`.
pub fn run(args: NewArgs) -> anyhow::Result<()> {
    let name = args.name.as_str();
    validate_name(name)?;
    let project = args.dir.join(name);
    if project.exists() {
        bail!("{} already exists: choose another name or --dir, or remove it", project.display());
    }
    std::fs::create_dir_all(&args.dir).with_context(|| format!("creating {}", args.dir.display()))?;
    // `create_dir` (not `_all`) fails if the directory appeared meanwhile.
    std::fs::create_dir(&project).with_context(|| format!("creating {}", project.display()))?;
    let files = project_files(name, args.lang, args.kind);
    if let Err(e) = write_files(&project, &files) {
        // Leave nothing half-written behind; the error says what failed.
        let _ = std::fs::remove_dir_all(&project);
        return Err(e.context(format!("scaffolding {}", project.display())));
    }

    println!("created {} plugin `{}/{name}` in {}:", args.lang, args.kind.as_str(), project.display());
    let mut listed: Vec<_> = files.iter().map(|(rel, _)| rel.display().to_string()).collect();
    listed.sort();
    for rel in listed {
        println!("  {rel}");
    }
    let setup = match args.lang {
        Lang::Rust => "rustup target add wasm32-wasip2",
        Lang::Python => "pip install componentize-py==0.25.1",
        Lang::Js => "npm install   (Node.js >= 20; `plugin build` runs it if needed)",
    };
    println!();
    println!("next:");
    println!("  cd {}", project.display());
    println!("  {setup}   # once, if not done yet");
    println!("  pikafx plugin build");
    println!("  pikafx plugin check {name}.wasm");
    println!("  {}", clip_command(args.kind));
    println!("  pikafx apply clip.mp4 -o out.mp4 --plugins . --effect {}/{name}", args.kind.as_str());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_kebab_case() {
        for good in ["tint", "warm-tint", "a1-b2", "x"] {
            assert!(validate_name(good).is_ok(), "{good}");
        }
        for bad in ["", "Tint", "warm_tint", "-tint", "tint-", "warm--tint", "1tint", "tint!", "a/b", "ü"] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn templates_leave_no_placeholder() {
        for lang in [Lang::Rust, Lang::Python, Lang::Js] {
            for kind in [Kind::Style, Kind::Pikaffect] {
                for (path, text) in project_files("warm-tint", lang, kind) {
                    assert!(!text.contains("{{"), "{lang:?} {kind:?} {}: placeholder left", path.display());
                }
            }
        }
    }
}
