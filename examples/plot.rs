//! Plots sigmoid, tanh, relu and softplus with their derivatives, where each
//! derivative is the one `#[differentiable]` generates (`<name>_grad`), not a
//! hand-written formula.
//!
//! ```text
//! cargo run -p grad --example plot            # writes docs/activations.svg
//! cargo run -p grad --example plot -- out.svg # or anywhere else
//! ```

use grad::prelude::*;
use plotters::prelude::*;

#[differentiable]
fn sigmoid_fn(x: f64) -> f64 {
    sigmoid(x)
}

#[differentiable]
fn tanh_fn(x: f64) -> f64 {
    tanh(x)
}

#[differentiable]
fn relu_fn(x: f64) -> f64 {
    relu(x)
}

#[differentiable]
fn softplus_fn(x: f64) -> f64 {
    softplus(x)
}

/// One panel: a function, its generated derivative, and the y range to show.
struct Panel {
    name: &'static str,
    f: fn(f64) -> f64,
    df: fn(f64) -> f64,
    y: (f64, f64),
}

const X_RANGE: (f64, f64) = (-5.0, 5.0);
const POINTS: usize = 801;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/docs/activations.svg").to_string()
    });
    let panels = [
        Panel {
            name: "sigmoid",
            f: sigmoid_fn,
            df: sigmoid_fn_grad,
            y: (-0.1, 1.1),
        },
        Panel {
            name: "tanh",
            f: tanh_fn,
            df: tanh_fn_grad,
            y: (-1.1, 1.1),
        },
        Panel {
            name: "relu",
            f: relu_fn,
            df: relu_fn_grad,
            y: (-0.5, 5.0),
        },
        Panel {
            name: "softplus",
            f: softplus_fn,
            df: softplus_fn_grad,
            y: (-0.5, 5.0),
        },
    ];

    let root = SVGBackend::new(&out, (1000, 760)).into_drawing_area();
    root.fill(&WHITE)?;
    let (title, body) = root.split_vertically(50);
    title.titled(
        "Activations and their #[differentiable]-generated derivatives",
        ("sans-serif", 24),
    )?;
    for (panel, area) in panels.iter().zip(body.split_evenly((2, 2))) {
        draw_panel(panel, &area)?;
    }
    root.present()?;
    println!("wrote {out}");
    Ok(())
}

fn draw_panel(
    p: &Panel,
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut chart = ChartBuilder::on(area)
        .caption(p.name, ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(32)
        .y_label_area_size(44)
        .build_cartesian_2d(X_RANGE.0..X_RANGE.1, p.y.0..p.y.1)?;
    chart
        .configure_mesh()
        .x_desc("x")
        // Ticks near zero can come out as -0.0.
        .y_label_formatter(&|v| format!("{:.1}", if v.abs() < 1e-9 { 0.0 } else { *v }))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    // The x axis.
    chart.draw_series(LineSeries::new(
        [(X_RANGE.0, 0.0), (X_RANGE.1, 0.0)],
        BLACK.mix(0.4),
    ))?;

    let xs =
        (0..POINTS).map(|i| X_RANGE.0 + (X_RANGE.1 - X_RANGE.0) * i as f64 / (POINTS - 1) as f64);
    let f = p.f;
    let df = p.df;
    chart
        .draw_series(LineSeries::new(
            xs.clone().map(|x| (x, f(x))),
            BLUE.stroke_width(2),
        ))?
        .label(format!("{}(x)", p.name))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLUE.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(xs.map(|x| (x, df(x))), RED.stroke_width(2)))?
        .label(format!("{}′(x), generated", p.name))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], RED.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.5))
        .label_font(("sans-serif", 15))
        .draw()?;
    Ok(())
}
