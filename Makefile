# pikafx — the two commands of the README:
#   make demo   set up, build, and apply a stack to a bundled sample clip
#   make test   set up, build, and run every test
# Everything else here is a step of those two.

CARGO      ?= cargo
PLUGINS    := target/plugins
GUESTS     := target/test-guests
WASM_OUT   := target/wasm32-wasip2/plugin
DEMO       := target/demo

RUST_PLUGINS := noir film posterize thermal anime sketch pixel-art watercolor oil-paint claymation vintage-8mm vhs cyberpunk melt inflate deflate squish levitate dissolve ta-da crystalize explode crumble shrink cake-ify peel tear crush poke decapitate eye-pop liquify ripple spin glitch pixelate-out burn freeze vaporize shatter
TEST_GUESTS  := hostile rogue-import v0-2 v9

.PHONY: all setup build plugins rust-plugins script-plugins demo gallery test lint bench bench-serve clean-cache

all: build plugins

setup:
	@scripts/setup.sh

build:
	$(CARGO) build -p pikafx

# First-party Rust plugins and the hostile test guests (wasm32-wasip2
# components), then the Python and JavaScript examples.
plugins: rust-plugins script-plugins

rust-plugins:
	$(CARGO) build --target wasm32-wasip2 --profile plugin $(foreach p,$(RUST_PLUGINS) $(TEST_GUESTS),-p pikafx-$(p))
	@mkdir -p $(PLUGINS) $(GUESTS)
	@for p in $(RUST_PLUGINS); do cp $(WASM_OUT)/pikafx_$$(echo $$p | tr - _).wasm $(PLUGINS)/$$p.wasm; done
	@for p in $(TEST_GUESTS); do cp $(WASM_OUT)/pikafx_$$(echo $$p | tr - _).wasm $(GUESTS)/$$p.wasm; done

script-plugins:
	examples/build.sh $(PLUGINS)

# The sample: an orange "subject" over a gradient (so the melt has something
# to melt), with a tone for the audio track.
$(DEMO)/sample.mp4:
	@mkdir -p $(DEMO)
	ffmpeg -hide_banner -loglevel error -y \
	  -f lavfi -i "gradients=s=640x360:c0=0x183050:c1=0x406080:x0=0:y0=0:x1=0:y1=360:seed=1:r=30:d=4,drawbox=x=200:y=100:w=180:h=180:color=orange:t=fill,drawbox=x=230:y=130:w=40:h=40:color=white:t=fill" \
	  -f lavfi -i "sine=frequency=330:duration=4" \
	  -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -shortest $@

demo: setup build plugins $(DEMO)/sample.mp4
	target/debug/pikafx apply $(DEMO)/sample.mp4 --stack examples/stacks/demo.json -o $(DEMO)/out.mp4
	target/debug/pikafx preview $(DEMO)/sample.mp4 --stack examples/stacks/demo.json --frames 4 -o $(DEMO)/sheet.png
	@echo "demo: source $(DEMO)/sample.mp4 -> output $(abspath $(DEMO)/out.mp4) (contact sheet $(abspath $(DEMO)/sheet.png))"

# The gallery's sample: a textured subject (testsrc2's colour bars and
# moving shapes, framed in orange) gliding over a sky-and-ground backdrop, so
# that warps, fragments and textures show (a flat square hides them).
$(DEMO)/gallery.mp4:
	@mkdir -p $(DEMO)
	ffmpeg -hide_banner -loglevel error -y \
	  -f lavfi -i "gradients=s=640x360:c0=0x1c3454:c1=0x5a7d96:x0=0:y0=0:x1=0:y1=300:seed=1:speed=0.00001:r=30:d=4" \
	  -f lavfi -i "testsrc2=s=200x200:r=30:d=4" \
	  -filter_complex "[0]drawbox=x=0:y=300:w=640:h=60:color=0x2a3a2a:t=fill[bg];[1]drawbox=x=0:y=0:w=200:h=200:color=0xffa020:t=6[fg];[bg][fg]overlay=x='210+15*t':y=80" \
	  -c:v libx264 -preset veryfast -pix_fmt yuv420p $@

# Every effect on the gallery sample, as committed under docs/gallery/ (PNG
# sheets and an index; the MP4 previews stay local, see docs/gallery/.gitignore).
gallery: setup build plugins $(DEMO)/gallery.mp4
	target/debug/pikafx gallery $(DEMO)/gallery.mp4 -o docs/gallery --animated \
	  --stack examples/stacks/blend-retro-neon.json --stack examples/stacks/blend-painted-film.json

# The SDK's unit tests run on their own: built together with pikafx, the
# SDK's dependencies would change pikafx's feature set and rebuild wasmtime.
test: setup build plugins
	$(CARGO) test -p pikafx --no-fail-fast -- --test-threads=2
	$(CARGO) test -p pikafx-sdk

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy -p pikafx --all-targets -- -D warnings
	$(CARGO) clippy --target wasm32-wasip2 -p pikafx-sdk $(foreach p,$(RUST_PLUGINS) $(TEST_GUESTS),-p pikafx-$(p)) -- -D warnings

bench: setup plugins
	$(CARGO) build --release -p pikafx
	PIKAFX_BIN=target/release/pikafx bench/run.sh

# Loopback load test of `pikafx serve` (needs wrk: apt install wrk).
bench-serve: setup plugins
	$(CARGO) build --release -p pikafx
	PIKAFX_BIN=target/release/pikafx bench/serve.sh

clean-cache:
	rm -rf target/test-cache
