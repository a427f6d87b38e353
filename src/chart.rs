//! The sweep chart, drawn on any plotters backend: plotters-canvas in the page, plotters-svg in
//! the CLI. One function serves both, so the page and the CLI show the same picture.
//!
//! Two panels: run time against the number of cores (the blog's picture: dashed line, circle
//! markers), and the speed-up T1/Tk against the ideal y = k. Several documents overlay, one
//! colour per device label.
//!
//! ```
//! # #[cfg(not(target_arch = "wasm32"))] {
//! use coresweep::chart::{ChartStyle, draw_sweep};
//! use coresweep::datasets::ClassificationParams;
//! use coresweep::forest::ForestParams;
//! use coresweep::sweep::{Device, SweepDocument};
//! use plotters::prelude::IntoDrawingArea;
//!
//! let mut doc = SweepDocument::new("native", String::new(), Device::labelled("laptop"),
//!     ClassificationParams::blog(), ForestParams::blog());
//! doc.add_point(1, vec![25.0]);
//! doc.add_point(2, vec![13.0]);
//! let mut svg = String::new();
//! {
//!     let root = plotters_svg::SVGBackend::with_string(&mut svg, (900, 400)).into_drawing_area();
//!     draw_sweep(&root, &[doc], &ChartStyle::default()).unwrap();
//!     root.present().unwrap();
//! }
//! assert!(svg.contains("Number of cores"));
//! # }
//! ```

use crate::Error;
use crate::sweep::SweepDocument;
use plotters::coord::Shift;
use plotters::prelude::*;

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

/// One document as drawn: its legend entry (or none when an earlier document has the same
/// device label), its colour and its points.
struct Series {
    legend: Option<String>,
    colour: RGBColor,
    times: Vec<(f64, f64)>,
    speedups: Vec<(f64, f64)>,
}

/// Sizes in pixels for this style.
struct Sizes {
    scale: f64,
}

impl Sizes {
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
    let sizes = Sizes {
        scale: if style.scale.is_finite() && style.scale > 0.0 {
            style.scale
        } else {
            1.0
        },
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
        .flat_map(|s| s.times.iter().map(|&(_, t)| t))
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
        &sizes,
    )?;

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
        &sizes,
    )
}

/// The y axis of one panel.
struct Axis {
    title: &'static str,
    /// The largest value drawn (0 when there is none).
    highest: f64,
}

fn series_of(docs: &[SweepDocument], theme: &Theme) -> Vec<Series> {
    let mut labels: Vec<&str> = Vec::new();
    docs.iter()
        .map(|doc| {
            let label = if doc.device.label.is_empty() {
                doc.engine.as_str()
            } else {
                doc.device.label.as_str()
            };
            let (index, legend) = match labels.iter().position(|l| *l == label) {
                Some(i) => (i, None),
                None => {
                    labels.push(label);
                    (labels.len() - 1, Some(label.to_string()))
                }
            };
            Series {
                legend,
                colour: theme.series[index % theme.series.len()],
                times: doc
                    .points
                    .iter()
                    .map(|p| (p.threads as f64, p.median_seconds))
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

/// One panel: the run times, or (with `ideal`) the speed-ups and the line y = k.
fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
    axis: Axis,
    max_threads: f64,
    ideal: Option<RGBColor>,
    theme: &Theme,
    sizes: &Sizes,
) -> Result<(), Error> {
    let text =
        |size: f64| TextStyle::from(("sans-serif", sizes.px(size)).into_font()).color(&theme.text);
    let x_range = 0.0..max_threads + 1.0;
    // Head room above the data for the legend box, so that it never hides a point.
    let entries =
        series.iter().filter(|s| s.legend.is_some()).count() + usize::from(ideal.is_some());
    let legend_height = if entries == 0 {
        0.0
    } else {
        sizes.scale * (22.0 * entries as f64 + 14.0)
    };
    let plot_height = f64::from(area.dim_in_pixel().1) - f64::from(sizes.px(24.0) + sizes.px(45.0));
    let free_share = (1.0 - legend_height / plot_height.max(1.0)).clamp(0.3, 1.0);
    let top = if axis.highest > 0.0 {
        axis.highest * 1.05 / free_share
    } else {
        1.0
    };
    let mut chart = ChartBuilder::on(area)
        .margin(sizes.px(12.0))
        .x_label_area_size(sizes.px(45.0))
        .y_label_area_size(sizes.px(60.0))
        .build_cartesian_2d(x_range, 0.0..top)
        .map_err(chart_error)?;
    let integer_ticks = |v: &f64| {
        if (v - v.round()).abs() < 1e-9 {
            format!("{v:.0}")
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .x_desc("Number of cores")
        .y_desc(axis.title)
        .x_labels((max_threads as usize + 2).min(12))
        .x_label_formatter(&integer_ticks)
        .axis_desc_style(text(18.0))
        .label_style(text(16.0))
        .axis_style(theme.text)
        .bold_line_style(theme.grid)
        .light_line_style(theme.background)
        .draw()
        .map_err(chart_error)?;

    let line_width = sizes.px(2.0);
    if let Some(colour) = ideal {
        let end = max_threads + 1.0;
        chart
            .draw_series(LineSeries::new(
                [(0.0, 0.0), (end, end)],
                colour.stroke_width(sizes.px(1.0)),
            ))
            .map_err(chart_error)?
            .label("ideal (y = k)")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour));
    }
    for s in series {
        let points = if ideal.is_some() {
            &s.speedups
        } else {
            &s.times
        };
        let colour = s.colour;
        let drawn = chart
            .draw_series(DashedLineSeries::new(
                points.iter().copied(),
                sizes.px(8.0),
                sizes.px(5.0),
                colour.stroke_width(line_width),
            ))
            .map_err(chart_error)?;
        if let Some(legend) = &s.legend {
            drawn.label(legend.as_str()).legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(line_width))
            });
        }
        let radius = sizes.px(4.0);
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&p| Circle::new(p, radius, colour.filled())),
            )
            .map_err(chart_error)?;
    }
    if series.iter().any(|s| s.legend.is_some()) || ideal.is_some() {
        chart
            .configure_series_labels()
            .position(if ideal.is_some() {
                SeriesLabelPosition::UpperLeft
            } else {
                SeriesLabelPosition::UpperRight
            })
            .label_font(text(16.0))
            .background_style(theme.background.mix(0.85))
            .border_style(theme.grid)
            .draw()
            .map_err(chart_error)?;
    }
    Ok(())
}

fn chart_error<E: std::error::Error + Send + Sync>(error: DrawingAreaErrorKind<E>) -> Error {
    Error::InvalidData {
        what: "chart",
        message: error.to_string(),
    }
}
