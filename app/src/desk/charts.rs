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

/// What a chart is about: its id (for its title's and description's ids),
/// title, description and the names of its series.
#[derive(Debug, Clone)]
pub struct ChartHead {
    pub id: &'static str,
    pub title: String,
    pub description: String,
    pub names: Vec<String>,
}

/// The frame of a chart, from its geometry: size, plot area, y ticks and
/// day labels.
struct Axes {
    size: (f64, f64),
    plot: (f64, f64, f64, f64),
    ticks: Vec<relais::figures::Tick>,
    labels: Vec<relais::figures::DayLabel>,
}

/// A chart: the SVG image with its title and description (its accessible
/// name), the y ticks with their grid lines, the day labels under the
/// plot, `data` drawn over them, and the caption with the legend.
fn frame(head: ChartHead, axes: Axes, data: impl IntoView) -> impl IntoView {
    let ChartHead {
        id,
        title,
        description,
        names,
    } = head;
    let Axes {
        size: (width, height),
        plot: (left, _top, right, bottom),
        ticks,
        labels,
    } = axes;
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img"
                aria-labelledby=labelled_by preserveAspectRatio="xMidYMid meet">
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
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
                {data}
            </svg>
            <figcaption>{title}<Legend names /></figcaption>
        </figure>
    }
}

/// Grouped bars per day.
#[component]
pub fn BarSvg(head: ChartHead, chart: BarChart) -> impl IntoView {
    let BarChart {
        width,
        height,
        plot,
        bars,
        ticks,
        labels,
        ..
    } = chart;
    let data = view! {
        <g class="chart-bars">
            {bars.into_iter().map(|b| view! {
                <rect class=series_class(b.series) x=b.x y=b.y width=b.width height=b.height>
                    <title>{format!("{} : {}", relais::dates::dm(b.day), b.value)}</title>
                </rect>
            }).collect_view()}
        </g>
    };
    frame(
        head,
        Axes {
            size: (width, height),
            plot,
            ticks,
            labels,
        },
        data,
    )
}

/// Lines of shares (0 – 100 %) per day; a day without a share is a gap.
#[component]
pub fn LineSvg(head: ChartHead, chart: LineChart) -> impl IntoView {
    let LineChart {
        width,
        height,
        plot,
        lines,
        ticks,
        labels,
    } = chart;
    let data = view! {
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
    };
    frame(
        head,
        Axes {
            size: (width, height),
            plot,
            ticks,
            labels,
        },
        data,
    )
}
