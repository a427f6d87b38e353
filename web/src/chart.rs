//! The chart on the page's canvas: the engine's one chart function on the plotters-canvas
//! backend. Main thread only: plotters measures text in the DOM.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

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
        let backend = CanvasBackend::with_canvas_object(canvas)
            .ok_or_else(|| js_error("chart: the canvas has no 2d context", None))?;
        let root = backend.into_drawing_area();
        let style = ChartStyle { dark, scale };
        let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
        draw_sweep(&root, &documents, &sources, &style).map_err(engine_error)?;
        root.present()
            .map_err(|e| js_error(&format!("chart: {e}"), None))
    }
}
