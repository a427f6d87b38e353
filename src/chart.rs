//! The sweep chart, drawn on any plotters backend: plotters-canvas in the page, plotters-svg in
//! the CLI. One function serves both, so the page and the CLI show the same picture.
//!
//! Two panels: run time against the number of cores (the blog's picture: dashed line, circle
//! markers), and the speed-up T1/Tk against the ideal y = k. Several documents overlay, one
//! colour per device label.
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
//!     draw_sweep(&root, &[doc], &ChartStyle::default()).unwrap();
//!     root.present().unwrap();
//! }
//! assert!(svg.contains("Number of cores"));
//! # Ok::<(), coresweep::Error>(())
//! ```

use crate::Error;
use crate::sweep::SweepDocument;
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

/// One document as drawn: its legend entry (none when it has no points or an earlier document
/// with points has the same device label), its colour and its points.
struct Series {
    legend: Option<String>,
    colour: RGBColor,
    times: Vec<(f64, f64)>,
    /// The fastest and the slowest repeat of each point timed more than once: (k, min, max).
    spreads: Vec<(f64, f64, f64)>,
    speedups: Vec<(f64, f64)>,
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
/// a wide area, one above the other on a tall one. An empty `docs` draws empty axes.
pub fn draw_sweep<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    docs: &[SweepDocument],
    style: &ChartStyle,
) -> Result<(), Error> {
    let theme = if style.dark { &DARK } else { &LIGHT };
    let scale = if style.scale.is_finite() && style.scale > 0.0 {
        style.scale
    } else {
        1.0
    };
    root.fill(&theme.background).map_err(chart_error)?;
    let series = series_of(docs, theme);
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

    // The ideal line reaches y = max_threads, so the axis always shows it at the widest point.
    let max_speedup = series
        .iter()
        .flat_map(|s| s.speedups.iter().map(|&(_, v)| v))
        .fold(max_threads, f64::max);
    let speedup_axis = Axis {
        title: "Speed-up (T1 / Tk)",
        highest: max_speedup,
    };
    draw_panel(
        &panels[1],
        &series,
        speedup_axis,
        max_threads,
        Some(theme.ideal),
        theme,
        scale,
    )
}

/// The y axis of one panel.
struct Axis {
    title: &'static str,
    /// The largest value drawn (0 when there is none).
    highest: f64,
}

/// Colours follow the order in which labels first appear (so a device keeps its colour when
/// this page's own, still empty, document gains points); a label gets its legend entry from its
/// first document with points, so an empty document takes no legend slot. When the documents
/// time different workloads (a grid search beside a fit), each label says its workload, and
/// when they were made on different data (another table, or another SHA-256 of one), each
/// label says its data, so unlike curves are never silently mixed.
fn series_of(docs: &[SweepDocument], theme: &Theme) -> Vec<Series> {
    let mixed = docs.windows(2).any(|w| w[0].workload != w[1].workload);
    let other_data = docs.windows(2).any(|w| !w[0].same_table(&w[1]));
    let names: Vec<String> = docs
        .iter()
        .map(|doc| {
            let device = if doc.device.label.is_empty() {
                doc.engine.as_str()
            } else {
                doc.device.label.as_str()
            };
            let mut name = device.to_owned();
            if mixed {
                name.push_str(&format!(" · {}", doc.workload.label()));
            }
            if other_data {
                name.push_str(&format!(" · {}", doc.data_label()));
            }
            name
        })
        .collect();
    let mut labels: Vec<&str> = Vec::new();
    let mut in_legend: Vec<&str> = Vec::new();
    docs.iter()
        .zip(&names)
        .map(|(doc, label)| {
            let label = label.as_str();
            let index = labels.iter().position(|l| *l == label).unwrap_or_else(|| {
                labels.push(label);
                labels.len() - 1
            });
            let legend = (!doc.points.is_empty() && !in_legend.contains(&label)).then(|| {
                in_legend.push(label);
                label.to_string()
            });
            Series {
                legend,
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
                        let fastest = p.fit_seconds.iter().copied().fold(f64::INFINITY, f64::min);
                        let slowest = p.fit_seconds.iter().copied().fold(0.0, f64::max);
                        (p.threads as f64, fastest, slowest)
                    })
                    .collect(),
                speedups: doc
                    .speedups()
                    .into_iter()
                    .map(|(k, s)| (k as f64, s))
                    .collect(),
            }
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
            marker: false,
        });
    }
    entries.extend(series.iter().filter_map(|s| {
        s.legend.as_deref().map(|label| LegendEntry {
            label,
            colour: s.colour,
            marker: true,
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

/// One legend entry: the ideal line (thin, solid) or a series (dashed, with a marker).
struct LegendEntry<'a> {
    label: &'a str,
    colour: RGBColor,
    marker: bool,
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
            if entry.marker {
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
