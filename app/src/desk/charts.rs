//! Charts drawn on the server as SVG (no JavaScript needed), from the
//! geometry `relais::figures` computes. Each chart is an image with a title
//! and a description; the same numbers are in the table below it.

use leptos::prelude::*;
use relais::figures::{BarChart, LineChart};

/// The CSS class of each series, in order (colours in the style sheet,
/// chosen to stay apart for common colour blindness).
const SERIES: [&str; 4] = ["series-a", "series-b", "series-c", "series-d"];

fn series_class(i: usize) -> &'static str {
    SERIES[i % SERIES.len()]
}

/// The legend of a chart: one swatch per series.
#[component]
fn Legend(names: Vec<String>) -> impl IntoView {
    view! {
        <ul class="chart-legend">
            {names.into_iter().enumerate().map(|(i, name)| view! {
                <li><span class=format!("swatch {}", series_class(i)) aria-hidden="true"></span>{name}</li>
            }).collect_view()}
        </ul>
    }
}

/// Axes shared by both kinds of chart: the y ticks with their grid lines,
/// the day labels under the plot.
fn axes(
    plot: (f64, f64, f64, f64),
    ticks: Vec<relais::figures::Tick>,
    labels: Vec<relais::figures::DayLabel>,
) -> impl IntoView {
    let (left, _top, right, bottom) = plot;
    view! {
        <g class="chart-grid">
            {ticks.into_iter().map(|t| view! {
                <line x1=left x2=right y1=t.y y2=t.y />
                <text x=left - 6.0 y=t.y + 4.0 text-anchor="end">{t.label}</text>
            }).collect_view()}
        </g>
        <g class="chart-days">
            {labels.into_iter().map(|l| view! {
                <text x=l.x y=bottom + 16.0 text-anchor="middle">{l.label}</text>
            }).collect_view()}
        </g>
    }
}

/// Grouped bars per day.
#[component]
pub fn BarSvg(
    id: &'static str,
    title: String,
    description: String,
    names: Vec<String>,
    chart: BarChart,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let BarChart {
        width,
        height,
        plot,
        bars,
        ticks,
        labels,
        ..
    } = chart;
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img"
                aria-labelledby=labelled_by preserveAspectRatio="xMidYMid meet">
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                {axes(plot, ticks, labels)}
                <g class="chart-bars">
                    {bars.into_iter().map(|b| view! {
                        <rect class=series_class(b.series) x=b.x y=b.y width=b.width height=b.height>
                            <title>{format!("{} : {}", b.day.format("%d/%m"), b.value)}</title>
                        </rect>
                    }).collect_view()}
                </g>
            </svg>
            <figcaption>{title}<Legend names /></figcaption>
        </figure>
    }
}

/// Lines of shares (0 – 100 %) per day; a day without a share is a gap.
#[component]
pub fn LineSvg(
    id: &'static str,
    title: String,
    description: String,
    names: Vec<String>,
    chart: LineChart,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let LineChart {
        width,
        height,
        plot,
        lines,
        ticks,
        labels,
    } = chart;
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img"
                aria-labelledby=labelled_by preserveAspectRatio="xMidYMid meet">
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                {axes(plot, ticks, labels)}
                <g class="chart-lines">
                    {lines.into_iter().enumerate().map(|(i, runs)| {
                        runs.into_iter().map(|run| {
                            let points = run
                                .iter()
                                .map(|(x, y)| format!("{x:.1},{y:.1}"))
                                .collect::<Vec<_>>()
                                .join(" ");
                            let dots = run.into_iter().map(|(x, y)| view! {
                                <circle class=series_class(i) cx=x cy=y r="3" />
                            }).collect_view();
                            view! {
                                <polyline class=series_class(i) points=points fill="none" />
                                {dots}
                            }
                        }).collect_view()
                    }).collect_view()}
                </g>
            </svg>
            <figcaption>{title}<Legend names /></figcaption>
        </figure>
    }
}
