//! The dashboard's charts as numbers: where each bar, point, tick and day
//! label goes, in the coordinates of an SVG `viewBox` of the given width
//! and height (y grows downwards). The app turns them into `<svg>`
//! elements; no markup is written here, so the geometry is tested alone.
//!
//! Both charts share one layout: a plot area inside margins (room for the
//! tick labels on the left and the day labels below), one slot per day
//! across it, day labels under the slots' centres.

use serde::{Deserialize, Serialize};
use time::Date;

/// Room left of the plot, for the tick labels.
const MARGIN_LEFT: f64 = 36.0;
/// Room above the plot, so that the top tick label is not cut.
const MARGIN_TOP: f64 = 8.0;
/// Room right of the plot.
const MARGIN_RIGHT: f64 = 8.0;
/// Room below the plot, for the day labels.
const MARGIN_BOTTOM: f64 = 22.0;
/// The share of a day's slot its bars fill (the rest: a gap between days).
const GROUP_FILL: f64 = 0.8;
/// At most this many day labels (a year of days would be unreadable).
const MAX_DAY_LABELS: usize = 10;
/// The axis is cut in quarters: ticks at 0, ¼, ½, ¾ and all of it.
const QUARTERS: u64 = 4;

/// A "nice" upper bound for an axis: the smallest of 1, 2, 5 × 10^k that
/// is >= max (>= 1). `u64::MAX` beyond the largest such number that fits
/// (10^19).
pub fn nice_max(max: u64) -> u64 {
    let mut scale: u64 = 1;
    loop {
        for factor in [1, 2, 5] {
            match scale.checked_mul(factor) {
                Some(nice) if nice >= max => return nice,
                Some(_) => {}
                None => return u64::MAX,
            }
        }
        scale = match scale.checked_mul(10) {
            Some(next) => next,
            None => return u64::MAX,
        };
    }
}

/// One bar: a rectangle from (x, y), its top-left corner, down to the
/// plot's bottom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    /// The left edge.
    pub x: f64,
    /// The top edge.
    pub y: f64,
    /// The width.
    pub width: f64,
    /// The height (0 for a value of 0).
    pub height: f64,
    /// Which series (the index in the `series` given).
    pub series: usize,
    /// The value drawn (for the bar's title).
    pub value: u64,
    /// The day of the bar's group.
    pub day: Date,
}

/// A y-axis tick: a grid line's height and the value written beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tick {
    /// The height of the tick.
    pub y: f64,
    /// The value as text.
    pub label: String,
}

/// An x-axis label: "dd/mm" under the centre of its day's slot, thinned
/// so that at most ~10 show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayLabel {
    /// The centre of the day's slot.
    pub x: f64,
    /// The day, "dd/mm".
    pub label: String,
}

/// A grouped bar chart of counts per day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarChart {
    /// The width of the drawing (the `viewBox`'s).
    pub width: f64,
    /// The height of the drawing.
    pub height: f64,
    /// Left, top, right, bottom of the plot area.
    pub plot: (f64, f64, f64, f64),
    /// Every bar, day by day, series by series within a day (a value of 0
    /// included, with a zero height, so that each has a title).
    pub bars: Vec<Bar>,
    /// The y-axis ticks, from 0 up.
    pub ticks: Vec<Tick>,
    /// The day labels, left to right.
    pub labels: Vec<DayLabel>,
    /// The value at the top of the plot ([`nice_max`] of the largest value).
    pub max: u64,
}

/// Grouped bars: one group per day, one bar per series (series[i][d] is
/// series i's value on days[d]); all series must have days.len() values
/// (shorter ones count missing as 0, extra values are ignored). Bars lie
/// inside the plot area, heights proportional to value/nice_max(max),
/// baseline at the plot's bottom. Ticks at 0, max/4 … max where that is a
/// whole number (so all five from 20 up, except 0, 25, 50 for 50; 0, 5, 10
/// for 10; 0 and the top for 1 and 5; 0, 1, 2 for 2), labelled as integers.
/// A width or height that is not a positive number counts as 0.
pub fn bar_chart(days: &[Date], series: &[Vec<u64>], width: f64, height: f64) -> BarChart {
    let layout = Layout::new(width, height, days.len());
    let value = |i: usize, d: usize| series[i].get(d).copied().unwrap_or(0);
    let largest = (0..series.len())
        .flat_map(|i| (0..days.len()).map(move |d| (i, d)))
        .map(|(i, d)| value(i, d))
        .max()
        .unwrap_or(0);
    let max = nice_max(largest);
    let bar_width = layout.slot * GROUP_FILL / series.len().max(1) as f64;
    let mut bars = Vec::with_capacity(days.len() * series.len());
    for (d, &day) in days.iter().enumerate() {
        let group_left =
            layout.left + d as f64 * layout.slot + layout.slot * (1.0 - GROUP_FILL) / 2.0;
        for i in 0..series.len() {
            let value = value(i, d);
            let height = layout.height_of(value as f64 / max as f64);
            bars.push(Bar {
                x: group_left + i as f64 * bar_width,
                y: layout.bottom - height,
                width: bar_width,
                height,
                series: i,
                value,
                day,
            });
        }
    }
    let ticks = (0..=QUARTERS)
        .filter_map(|k| {
            let scaled = u128::from(max) * u128::from(k);
            scaled.is_multiple_of(u128::from(QUARTERS)).then(|| Tick {
                y: layout.bottom - layout.height_of(k as f64 / QUARTERS as f64),
                label: (scaled / u128::from(QUARTERS)).to_string(),
            })
        })
        .collect();
    BarChart {
        width: layout.width,
        height: layout.height,
        plot: layout.plot(),
        bars,
        ticks,
        labels: layout.labels(days),
        max,
    }
}

/// A chart of shares per day, one line per series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineChart {
    /// The width of the drawing (the `viewBox`'s).
    pub width: f64,
    /// The height of the drawing.
    pub height: f64,
    /// Left, top, right, bottom of the plot area.
    pub plot: (f64, f64, f64, f64),
    /// Per series, the runs of consecutive defined points (a polyline
    /// each; a run of one point is drawn as a dot).
    pub lines: Vec<Vec<Vec<(f64, f64)>>>,
    /// 0 %, 25 %, … 100 %, labelled "0", "25", "50", "75", "100".
    pub ticks: Vec<Tick>,
    /// The day labels, left to right.
    pub labels: Vec<DayLabel>,
}

/// Shares (0..=1, None = undefined that day: a gap in the line) per series
/// per day: series[i][d] is series i's share on days[d]. Points sit at the
/// centres of the days' slots (where the bar chart's day labels are); a
/// share outside 0..=1 is clamped, one that is not finite is a gap, and a
/// series shorter than `days` ends early.
pub fn share_chart(
    days: &[Date],
    series: &[Vec<Option<f64>>],
    width: f64,
    height: f64,
) -> LineChart {
    let layout = Layout::new(width, height, days.len());
    let lines = series
        .iter()
        .map(|shares| {
            let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
            let mut run: Vec<(f64, f64)> = Vec::new();
            for (d, share) in shares.iter().take(days.len()).enumerate() {
                match share.filter(|s| s.is_finite()) {
                    Some(share) => run.push((
                        layout.centre(d),
                        layout.bottom - layout.height_of(share.clamp(0.0, 1.0)),
                    )),
                    None if run.is_empty() => {}
                    None => runs.push(std::mem::take(&mut run)),
                }
            }
            if !run.is_empty() {
                runs.push(run);
            }
            runs
        })
        .collect();
    let ticks = (0..=QUARTERS)
        .map(|k| Tick {
            y: layout.bottom - layout.height_of(k as f64 / QUARTERS as f64),
            label: (k * 100 / QUARTERS).to_string(),
        })
        .collect();
    LineChart {
        width: layout.width,
        height: layout.height,
        plot: layout.plot(),
        lines,
        ticks,
        labels: layout.labels(days),
    }
}

/// The plot area inside the margins, and the days' slots across it.
struct Layout {
    width: f64,
    height: f64,
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
    /// The width of one day's slot.
    slot: f64,
}

impl Layout {
    /// The margins shrink to nothing in a drawing too small for them.
    fn new(width: f64, height: f64, days: usize) -> Layout {
        let size = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
        let (width, height) = (size(width), size(height));
        let left = MARGIN_LEFT.min(width);
        let right = (width - MARGIN_RIGHT).max(left);
        let top = MARGIN_TOP.min(height);
        let bottom = (height - MARGIN_BOTTOM).max(top);
        Layout {
            width,
            height,
            left,
            top,
            right,
            bottom,
            slot: (right - left) / days.max(1) as f64,
        }
    }

    fn plot(&self) -> (f64, f64, f64, f64) {
        (self.left, self.top, self.right, self.bottom)
    }

    /// The height drawn for `fraction` (0..=1) of the axis.
    fn height_of(&self, fraction: f64) -> f64 {
        let full = self.bottom - self.top;
        (fraction * full).clamp(0.0, full)
    }

    /// The centre of day `d`'s slot.
    fn centre(&self, d: usize) -> f64 {
        self.left + (d as f64 + 0.5) * self.slot
    }

    /// One label every `step` days from the first, so that at most
    /// [`MAX_DAY_LABELS`] show.
    fn labels(&self, days: &[Date]) -> Vec<DayLabel> {
        let step = days.len().div_ceil(MAX_DAY_LABELS).max(1);
        days.iter()
            .enumerate()
            .step_by(step)
            .map(|(d, day)| DayLabel {
                x: self.centre(d),
                label: crate::dates::dm(*day),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
