//! The chart on the page's canvas: the engine's one chart function on the plotters-canvas
//! backend, its text measured by the canvas itself (`CanvasText`).

use plotters::prelude::{DrawingBackend, IntoDrawingArea};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use coresweep::chart::{ChartStyle, draw_sweep};
use coresweep::sweep::SweepDocument;

use crate::document::ResultsDocument;
use crate::errors::{engine_error, js_error};

#[wasm_bindgen]
impl ResultsDocument {
    /// Draws `documents` (the page's first, then the overlaid ones; the call takes them over,
    /// so pass copies of those kept), named apart by `sources` (where each came from: a file's
    /// name, "shared link"; "" for the page's own), on `canvas`, whose pixel size the page has
    /// already set for `devicePixelRatio`; text and lines are scaled by the canvas's pixels per
    /// CSS pixel.
    pub fn draw_chart(
        canvas: HtmlCanvasElement,
        documents: Vec<ResultsDocument>,
        sources: Vec<String>,
        dark: bool,
    ) -> Result<(), JsValue> {
        let documents: Vec<SweepDocument> = documents.into_iter().map(|doc| doc.document).collect();
        // Canvas pixels per CSS pixel (the page's devicePixelRatio), so text and lines keep
        // their size on a HiDPI screen; 1 for a canvas that is not laid out.
        let css_width = canvas.client_width();
        let scale = if css_width > 0 {
            f64::from(canvas.width()) / f64::from(css_width)
        } else {
            1.0
        };
        let backend = CanvasText::new(canvas)
            .ok_or_else(|| js_error("chart: the canvas has no 2d context", None))?;
        let root = backend.into_drawing_area();
        let style = ChartStyle { dark, scale };
        let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
        draw_sweep(&root, &documents, &sources, &style).map_err(engine_error)?;
        root.present()
            .map_err(|e| js_error(&format!("chart: {e}"), None))
    }
}

/// plotters-canvas, but text is measured with the canvas's `measureText`: plotters' own measure
/// (its `web` font) adds a `<span>` to the page and reads its size for every label, which
/// makes the browser lay out the whole page again each time — dozens of layouts per chart,
/// the largest part of the page's main-thread work during a sweep.
struct CanvasText {
    canvas: CanvasBackend,
    context: CanvasRenderingContext2d,
}

impl CanvasText {
    fn new(canvas: HtmlCanvasElement) -> Option<Self> {
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(CanvasText {
            canvas: CanvasBackend::with_canvas_object(canvas)?,
            context,
        })
    }
}

/// plotters-canvas's error type, which it does not export by name.
type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;

impl DrawingBackend for CanvasText {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.canvas.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.canvas.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.canvas.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.canvas.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.canvas.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.canvas.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.canvas.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.canvas.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.canvas.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.canvas.draw_text(text, style, pos)
    }

    /// The text's advance and the font's ascent plus descent, in canvas pixels: what plotters'
    /// `<span>` measured (its offsetWidth and offsetHeight), without a layout. A browser whose
    /// TextMetrics lacks the font's box (before 2023), or a canvas that cannot measure, gets
    /// plotters' own measure.
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        // The font as plotters-canvas's draw_text sets it.
        self.context.set_font(&format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str(),
        ));
        let Ok(metrics) = self.context.measure_text(text) else {
            return self.canvas.estimate_text_size(text, style);
        };
        let height = metrics.font_bounding_box_ascent() + metrics.font_bounding_box_descent();
        if !height.is_finite() {
            return self.canvas.estimate_text_size(text, style);
        }
        Ok((metrics.width().ceil() as u32, height.ceil() as u32))
    }
}
