//! The sweep chart, drawn on any plotters backend: plotters-canvas in the page, plotters-svg in
//! the CLI. One function serves both, so the page and the CLI show the same picture.
//!
//! Two panels: run time against the number of cores (the blog's picture: dashed line, circle
//! markers), and the speed-up T1/Tk against the ideal y = k, with Amdahl's law projected up to
//! 64 cores (finely dashed, in a band from the repeats' spread) where the fit means something.
//! Several documents overlay, each in its own colour under a name of its own.
//!
//! ```
//! use coresweep::chart::{ChartStyle, draw_sweep};
//! use coresweep::datasets::ClassificationParams;
//! use coresweep::forest::ForestParams;
//! use coresweep::sweep::{Device, SweepDocument};
//! use plotters::prelude::IntoDrawingArea;
//!
//! let mut doc = SweepDocument::new("native", String::new(), Device::labelled("laptop"),
//!     Some(&ClassificationParams::blog().check()?), &ForestParams::blog().check()?);
//! doc.add_point(1, vec![25.0]);
//! doc.add_point(2, vec![13.0]);
//! let mut svg = String::new();
//! {
//!     let root = plotters_svg::SVGBackend::with_string(&mut svg, (900, 400)).into_drawing_area();
//!     draw_sweep(&root, &[doc], &[], &ChartStyle::default()).unwrap();
//!     root.present().unwrap();
//! }
//! assert!(svg.contains("Number of cores"));
//! # Ok::<(), coresweep::Error>(())
//! ```

use crate::Error;
use crate::sweep::{PROJECTION_CORES, SweepDocument, series_names};
use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// How the chart looks.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartStyle {
    /// Light text on a dark background.
    pub dark: bool,
    /// Multiplies text sizes, line widths and margins: pass the device pixel ratio when the
    /// drawing area is sized in physical pixels.
    pub scale: f64,
}

impl Default for ChartStyle {
    fn default() -> Self {
        ChartStyle {
            dark: false,
            scale: 1.0,
        }
    }
}

/// Colours of one theme; the first series colour is the blog's blue.
struct Theme {
    background: RGBColor,
    text: RGBColor,
    grid: RGBColor,
    ideal: RGBColor,
    series: [RGBColor; 6],
}

const LIGHT: Theme = Theme {
    background: RGBColor(255, 255, 255),
    text: RGBColor(34, 34, 34),
    grid: RGBColor(225, 225, 225),
    ideal: RGBColor(140, 140, 140),
    series: [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
    ],
};

const DARK: Theme = Theme {
    background: RGBColor(24, 26, 27),
    text: RGBColor(230, 230, 230),
    grid: RGBColor(60, 63, 65),
    ideal: RGBColor(150, 150, 150),
    series: [
        RGBColor(86, 168, 245),
        RGBColor(255, 160, 70),
        RGBColor(95, 205, 95),
        RGBColor(245, 100, 100),
        RGBColor(190, 150, 230),
        RGBColor(200, 150, 130),
    ],
};

/// One document as drawn: its legend entry (none when it has no points), its colour, its
/// points and Amdahl's projection beyond them, `(cores, speed-up, lowest, highest)`.
struct Series {
    legend: Option<String>,
    colour: RGBColor,
    times: Vec<(f64, f64)>,
    /// The fastest and the slowest repeat of each point timed more than once: (k, min, max).
    spreads: Vec<(f64, f64, f64)>,
    speedups: Vec<(f64, f64)>,
    projection: Vec<(f64, f64, f64, f64)>,
}

/// Sizes in pixels for this style and panel.
struct Sizes {
    /// Pixels per CSS pixel, times the shrink factor of a small panel.
    scale: f64,
}

impl Sizes {
    /// `style_scale` pixels per CSS pixel; text and margins shrink (down to 70 %) on a panel
    /// smaller than 460 × 320 CSS pixels, so a phone's stacked panels keep room for the data.
    fn for_panel(style_scale: f64, (width, height): (u32, u32)) -> Sizes {
        let fit = (f64::from(width) / style_scale / 460.0)
            .min(f64::from(height) / style_scale / 320.0)
            .clamp(0.7, 1.0);
        Sizes {
            scale: style_scale * fit,
        }
    }

    fn px(&self, base: f64) -> u32 {
        (base * self.scale).round().max(1.0) as u32
    }
}

/// Draws the run-time panel and the speed-up panel of `docs` on `root`: beside each other on
/// a wide area, one above the other on a tall one. `sources` names where each document came
/// from (a file's name; "" or missing for this run), which tells apart documents of the same
/// label in the legend ([`series_names`]). An empty `docs` draws empty axes.
pub fn draw_sweep<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    docs: &[SweepDocument],
    sources: &[&str],
    style: &ChartStyle,
) -> Result<(), Error> {
    let theme = if style.dark { &DARK } else { &LIGHT };
    let scale = if style.scale.is_finite() && style.scale > 0.0 {
        style.scale
    } else {
        1.0
    };
    root.fill(&theme.background).map_err(chart_error)?;
    let series = series_of(docs, sources, theme);
    let max_threads = series
        .iter()
        .flat_map(|s| s.times.iter().map(|&(k, _)| k))
        .fold(1.0, f64::max);
    let (width, height) = root.dim_in_pixel();
    let panels = if f64::from(width) >= 1.25 * f64::from(height) {
        root.split_evenly((1, 2))
    } else {
        root.split_evenly((2, 1))
    };

    let max_seconds = series
        .iter()
        .flat_map(|s| {
            let slowest = s.spreads.iter().map(|&(_, _, max)| max);
            s.times.iter().map(|&(_, t)| t).chain(slowest)
        })
        .fold(0.0, f64::max);
    let time_axis = Axis {
        title: "Run time (secs)",
        highest: max_seconds,
    };
    draw_panel(
        &panels[0],
        &series,
        time_axis,
        max_threads,
        None,
        theme,
        scale,
    )?;

    // The ideal line reaches y = max_threads, so the axis always shows it at the widest point;
    // a projection takes the axis on to 64 cores and the band's top.
    let max_speedup = series
        .iter()
        .flat_map(|s| s.speedups.iter().map(|&(_, v)| v))
        .chain(series.iter().flat_map(|s| s.projection.iter().map(|p| p.3)))
        .fold(max_threads, f64::max);
    let speedup_threads = if series.iter().any(|s| !s.projection.is_empty()) {
        PROJECTION_CORES as f64
    } else {
        max_threads
    };
    let speedup_axis = Axis {
        title: "Speed-up (T1 / Tk)",
        highest: max_speedup,
    };
    draw_panel(
        &panels[1],
        &series,
        speedup_axis,
        speedup_threads,
        Some(theme.ideal),
        theme,
        scale,
    )
}

/// Draws the chart of `docs` (see [`draw_sweep`]) with `lines` of text under it, each wrapped
/// to the width: the CLI's SVG, which has no page around it to say them.
pub fn draw_sweep_with_caption<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    docs: &[SweepDocument],
    sources: &[&str],
    lines: &[String],
    style: &ChartStyle,
) -> Result<(), Error> {
    let theme = if style.dark { &DARK } else { &LIGHT };
    let sizes = Sizes { scale: style.scale };
    let text_style = TextStyle::from(("sans-serif", sizes.px(14.0)).into_font()).color(&theme.text);
    let margin = sizes.px(16.0) as i32;
    let width = root.dim_in_pixel().0 as i32 - 2 * margin;
    let mut wrapped: Vec<String> = Vec::new();
    for line in lines {
        let mut current = String::new();
        for word in line.split(' ') {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if !current.is_empty() && text_width(root, &candidate, &text_style) as i32 > width {
                wrapped.push(std::mem::replace(&mut current, word.to_owned()));
            } else {
                current = candidate;
            }
        }
        wrapped.push(current);
    }
    let line_height = sizes.px(20.0) as i32;
    let caption_height = if wrapped.is_empty() {
        0
    } else {
        line_height * wrapped.len() as i32 + sizes.px(10.0) as i32
    };
    let height = root.dim_in_pixel().1 as i32;
    let (chart, caption) = root.split_vertically((height - caption_height).max(0));
    draw_sweep(&chart, docs, sources, style)?;
    caption.fill(&theme.background).map_err(chart_error)?;
    for (i, line) in wrapped.iter().enumerate() {
        caption
            .draw(&Text::new(
                line.as_str(),
                (margin, line_height * i as i32),
                text_style.clone(),
            ))
            .map_err(chart_error)?;
    }
    Ok(())
}

/// The y axis of one panel.
struct Axis {
    title: &'static str,
    /// The largest value drawn (0 when there is none).
    highest: f64,
}

/// Each document its own colour, in the order given (so this page's document keeps the first
/// colour from before its first point), and its name from [`series_names`] in the legend once
/// it has points; Amdahl's projection for each whose fit means something.
fn series_of(docs: &[SweepDocument], sources: &[&str], theme: &Theme) -> Vec<Series> {
    let names = series_names(docs, sources);
    docs.iter()
        .zip(names)
        .enumerate()
        .map(|(index, (doc, name))| Series {
            legend: (!doc.points.is_empty()).then_some(name),
            colour: theme.series[index % theme.series.len()],
            times: doc
                .points
                .iter()
                .map(|p| (p.threads as f64, p.median_seconds))
                .collect(),
            spreads: doc
                .points
                .iter()
                .filter(|p| p.fit_seconds.len() > 1)
                .map(|p| {
                    let (fastest, slowest) = p.spread();
                    (p.threads as f64, fastest, slowest)
                })
                .collect(),
            speedups: doc
                .speedups()
                .into_iter()
                .map(|(k, s)| (k as f64, s))
                .collect(),
            projection: doc
                .amdahl_projection()
                .map(|p| p.curve())
                .unwrap_or_default(),
        })
        .collect()
}

/// One panel: a legend strip above the plot (so it never hides a point), then the run times,
/// or (with `ideal`) the speed-ups and the line y = k.
fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
    axis: Axis,
    max_threads: f64,
    ideal: Option<RGBColor>,
    theme: &Theme,
    scale: f64,
) -> Result<(), Error> {
    let sizes = Sizes::for_panel(scale, area.dim_in_pixel());
    let font = |size: f64| ("sans-serif", sizes.px(size)).into_font();
    let text = |size: f64| TextStyle::from(font(size)).color(&theme.text);
    let margin = sizes.px(12.0);
    let line_width = sizes.px(2.0);

    let mut entries: Vec<LegendEntry> = Vec::new();
    if let Some(colour) = ideal {
        entries.push(LegendEntry {
            label: "ideal (y = k)",
            colour,
            line: Line::Ideal,
        });
        if series.iter().any(|s| !s.projection.is_empty()) {
            entries.push(LegendEntry {
                label: "Amdahl's law, projected",
                colour: theme.text,
                line: Line::Projection,
            });
        }
    }
    entries.extend(series.iter().filter_map(|s| {
        s.legend.as_deref().map(|label| LegendEntry {
            label,
            colour: s.colour,
            line: Line::Series,
        })
    }));
    let legend = Legend::layout(area, &entries, &text(15.0), &sizes);
    let (strip, plot_area) = area.split_vertically(legend.height);
    legend.draw(&strip, &entries, &text(15.0), &sizes, line_width)?;

    let x_label_area = sizes.px(42.0);
    let top = if axis.highest > 0.0 {
        axis.highest * 1.05
    } else {
        1.0
    };
    // One y tick per 40 CSS pixels of plot at most, so small panels stay readable.
    let plot_height = f64::from(plot_area.dim_in_pixel().1)
        - f64::from(margin)
        - f64::from(x_label_area)
        - f64::from(sizes.px(6.0));
    let y_ticks = ((plot_height / (40.0 * sizes.scale)).floor() as usize).clamp(2, 10);
    let plot_width = f64::from(plot_area.dim_in_pixel().0);
    let x_ticks = ((plot_width / (36.0 * sizes.scale)).floor() as usize)
        .clamp(2, 12)
        .min(max_threads as usize + 2);
    let tick_values = RangedCoordf64::from(0.0..top).key_points(y_ticks);
    let decimals = tick_values
        .iter()
        .map(|&v| decimals_of(v))
        .max()
        .unwrap_or(0);
    let tick_style = text(15.0);
    let widest_tick = tick_values
        .iter()
        .map(|v| text_width(&plot_area, &format!("{v:.decimals$}"), &tick_style))
        .max()
        .unwrap_or(0);
    let tick_size = sizes.px(5.0);
    let title_style = text(16.0);
    let title_height = plot_area
        .estimate_text_size(axis.title, &title_style)
        .map_or(sizes.px(16.0), |(_, h)| h.max(sizes.px(16.0)));
    // The y title, a gap, the widest tick label and plotters' label distance (twice the tick).
    let y_label_area = title_height + sizes.px(8.0) + widest_tick + 2 * tick_size;

    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(sizes.px(6.0))
        .margin_left(sizes.px(4.0))
        .margin_right(margin)
        .margin_bottom(sizes.px(4.0))
        .x_label_area_size(x_label_area)
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(0.0..max_threads + 1.0, 0.0..top)
        .map_err(chart_error)?;
    let integer_ticks = |v: &f64| {
        if (v - v.round()).abs() < 1e-9 {
            format!("{v:.0}")
        } else {
            String::new()
        }
    };
    let fixed_ticks = |v: &f64| format!("{v:.decimals$}");
    chart
        .configure_mesh()
        .x_desc("Number of cores")
        .y_desc(axis.title)
        .x_labels(x_ticks)
        .y_labels(y_ticks)
        .x_label_formatter(&integer_ticks)
        .y_label_formatter(&fixed_ticks)
        .set_all_tick_mark_size(tick_size)
        .axis_desc_style(title_style)
        .label_style(tick_style)
        .axis_style(theme.text)
        .bold_line_style(theme.grid)
        .light_line_style(theme.background)
        .draw()
        .map_err(chart_error)?;

    if let Some(colour) = ideal {
        // Plotters squeezes points outside the range back in instead of clipping them, so the
        // line ends where the diagonal leaves the plotted range.
        let end = (max_threads + 1.0).min(top);
        chart
            .draw_series(LineSeries::new(
                [(0.0, 0.0), (end, end)],
                colour.stroke_width(sizes.px(1.0)),
            ))
            .map_err(chart_error)?;
    }
    if ideal.is_some() {
        for s in series.iter().filter(|s| !s.projection.is_empty()) {
            draw_projection(&mut chart, s, &sizes)?;
        }
    }
    for s in series {
        let points = if ideal.is_some() {
            &s.speedups
        } else {
            &s.times
        };
        chart
            .draw_series(DashedLineSeries::new(
                points.iter().copied(),
                sizes.px(8.0),
                sizes.px(5.0),
                s.colour.stroke_width(line_width),
            ))
            .map_err(chart_error)?;
        if ideal.is_none() {
            // The repeats' spread: a whisker from the fastest to the slowest, capped at both ends.
            let cap = 0.12;
            let stroke = s.colour.stroke_width(sizes.px(1.0));
            chart
                .draw_series(s.spreads.iter().flat_map(|&(k, min, max)| {
                    [
                        PathElement::new(vec![(k, min), (k, max)], stroke),
                        PathElement::new(vec![(k - cap, min), (k + cap, min)], stroke),
                        PathElement::new(vec![(k - cap, max), (k + cap, max)], stroke),
                    ]
                }))
                .map_err(chart_error)?;
        }
        let radius = sizes.px(4.0);
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&p| Circle::new(p, radius, s.colour.filled())),
            )
            .map_err(chart_error)?;
    }
    Ok(())
}

/// Amdahl's projection of one series: the band between the repeats' extremes, lightly
/// filled, and the curve of the fitted serial fraction, finely dashed.
fn draw_projection<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    series: &Series,
    sizes: &Sizes,
) -> Result<(), Error> {
    let band: Vec<(f64, f64)> = series
        .projection
        .iter()
        .map(|&(k, _, low, _)| (k, low))
        .chain(
            series
                .projection
                .iter()
                .rev()
                .map(|&(k, _, _, high)| (k, high)),
        )
        .collect();
    chart
        .draw_series(std::iter::once(Polygon::new(
            band,
            series.colour.mix(0.15).filled(),
        )))
        .map_err(chart_error)?;
    chart
        .draw_series(DashedLineSeries::new(
            series
                .projection
                .iter()
                .map(|&(k, speedup, _, _)| (k, speedup)),
            sizes.px(3.0),
            sizes.px(3.0),
            series.colour.stroke_width(sizes.px(1.5)),
        ))
        .map_err(chart_error)?;
    Ok(())
}

/// Fewest decimals (up to 6) that write `value` exactly, so all ticks of an axis can share them.
fn decimals_of(value: f64) -> usize {
    (0..6)
        .find(|&d| {
            let shifted = value * 10f64.powi(d as i32);
            (shifted - shifted.round()).abs() < 1e-6
        })
        .unwrap_or(6)
}

/// Width of `text` in pixels: the backend's measure, but never less than 0.62 em per
/// character, because the SVG backend only guesses (and too narrowly for digits).
fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> u32 {
    let guess = (0.62 * style.font.get_size() * text.chars().count() as f64).ceil() as u32;
    area.estimate_text_size(text, style)
        .map_or(guess, |(w, _)| w.max(guess))
}

/// One legend entry and how its sample is drawn.
struct LegendEntry<'a> {
    label: &'a str,
    colour: RGBColor,
    line: Line,
}

/// The line samples of a legend.
#[derive(Clone, Copy, PartialEq)]
enum Line {
    /// The ideal y = k: thin and solid.
    Ideal,
    /// A measured series: dashed, with a marker.
    Series,
    /// Amdahl's projection: finely dashed, thin.
    Projection,
}

/// Where the legend entries go in the strip above a panel's plot: left to right, wrapping.
struct Legend {
    /// Top-left corner of each entry.
    positions: Vec<(i32, i32)>,
    /// Height of the strip (0 without entries).
    height: u32,
}

impl Legend {
    /// Width of an entry's line sample.
    const SAMPLE: f64 = 26.0;

    fn layout<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        entries: &[LegendEntry],
        style: &TextStyle,
        sizes: &Sizes,
    ) -> Legend {
        if entries.is_empty() {
            return Legend {
                positions: Vec::new(),
                height: 0,
            };
        }
        let width = area.dim_in_pixel().0 as i32;
        let left = sizes.px(16.0) as i32;
        let row_height = sizes.px(22.0) as i32;
        let (mut x, mut y) = (left, sizes.px(8.0) as i32);
        let mut positions = Vec::with_capacity(entries.len());
        for entry in entries {
            let entry_width =
                (sizes.px(Self::SAMPLE + 6.0) + text_width(area, entry.label, style)) as i32;
            if x > left && x + entry_width > width - left {
                x = left;
                y += row_height;
            }
            positions.push((x, y));
            x += entry_width + sizes.px(18.0) as i32;
        }
        Legend {
            positions,
            height: (y + row_height) as u32 + sizes.px(2.0),
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        strip: &DrawingArea<DB, Shift>,
        entries: &[LegendEntry],
        style: &TextStyle,
        sizes: &Sizes,
        line_width: u32,
    ) -> Result<(), Error> {
        let sample = sizes.px(Self::SAMPLE) as i32;
        let middle = sizes.px(11.0) as i32;
        for (entry, &(x, y)) in entries.iter().zip(&self.positions) {
            let y = y + middle;
            if entry.line == Line::Projection {
                let dash = sizes.px(3.0) as i32;
                for start in (0..sample).step_by(2 * dash.max(1) as usize) {
                    strip
                        .draw(&PathElement::new(
                            [(x + start, y), (x + (start + dash).min(sample), y)],
                            entry.colour.stroke_width(sizes.px(1.5)),
                        ))
                        .map_err(chart_error)?;
                }
            } else if entry.line == Line::Series {
                let dash = sample * 3 / 8;
                let line = entry.colour.stroke_width(line_width);
                strip
                    .draw(&PathElement::new([(x, y), (x + dash, y)], line))
                    .map_err(chart_error)?;
                strip
                    .draw(&PathElement::new(
                        [(x + sample - dash, y), (x + sample, y)],
                        line,
                    ))
                    .map_err(chart_error)?;
                strip
                    .draw(&Circle::new(
                        (x + sample / 2, y),
                        sizes.px(4.0),
                        entry.colour.filled(),
                    ))
                    .map_err(chart_error)?;
            } else {
                strip
                    .draw(&PathElement::new(
                        [(x, y), (x + sample, y)],
                        entry.colour.stroke_width(sizes.px(1.0)),
                    ))
                    .map_err(chart_error)?;
            }
            strip
                .draw(&Text::new(
                    entry.label,
                    (x + sample + sizes.px(6.0) as i32, y),
                    style.pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(chart_error)?;
        }
        Ok(())
    }
}

fn chart_error<E: std::error::Error + Send + Sync>(error: DrawingAreaErrorKind<E>) -> Error {
    Error::InvalidData {
        what: "chart",
        message: error.to_string(),
    }
}
