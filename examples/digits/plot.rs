//! The loss curve as an SVG, with plotters.

use std::path::Path;

use plotters::prelude::*;

/// Draws the per-epoch training loss into an SVG at `out`.
pub(crate) fn plot_losses(losses: &[f32], out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let root = SVGBackend::new(out, (800, 500)).into_drawing_area();
    root.fill(&WHITE)?;
    let top = losses.iter().copied().fold(0.0_f32, f32::max) * 1.05;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "digits: 64-32-10 tanh MLP, mean training loss",
            ("sans-serif", 22),
        )
        .margin(16)
        .x_label_area_size(36)
        .y_label_area_size(52)
        .build_cartesian_2d(1.0..losses.len().max(2) as f64, 0.0..top as f64)?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .y_desc("cross-entropy")
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    chart.draw_series(LineSeries::new(
        losses
            .iter()
            .enumerate()
            .map(|(i, &l)| ((i + 1) as f64, l as f64)),
        BLUE.stroke_width(2),
    ))?;
    root.present()?;
    Ok(())
}
