//! Pacing: CloudTrail LookupEvents allows 2 requests per second per account and region.
//! Each region of an account gets a [`Pacer`] that hands out send times at most `rate`
//! a second, so the sweep stays under the limit instead of meeting throttling and
//! retrying (the SDK's retries remain for the throttles that come anyway).

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Send times one `interval` apart, in the order they are asked for (a token bucket of
/// one token: no burst).
#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    /// At most `rate` requests a second, less a margin of 100 ms an interval: requests
    /// in flight arrive with jitter, and with a 40 ms margin a late request and the next
    /// on-time one met throttling when every region ran at once.
    pub fn new(rate: f64) -> Self {
        let rate = if rate.is_finite() && rate > 0.0 {
            rate
        } else {
            2.0
        };
        Pacer {
            interval: Duration::from_secs_f64(1.0 / rate) + Duration::from_millis(100),
            next: Mutex::new(None),
        }
    }

    /// Waits for this request's turn.
    pub async fn wait(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let at = next.map_or(now, |n| n.max(now));
            *next = Some(at + self.interval);
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

/// One pacer per region of an account.
#[derive(Debug)]
pub struct Pacers(BTreeMap<String, Pacer>);

impl Pacers {
    pub fn new(regions: &[String], rate: f64) -> Self {
        Pacers(
            regions
                .iter()
                .map(|r| (r.clone(), Pacer::new(rate)))
                .collect(),
        )
    }

    pub fn get(&self, region: &str) -> Option<&Pacer> {
        self.0.get(region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Requests asked for at once are sent one interval apart, never two within it.
    #[tokio::test]
    async fn requests_are_spaced_by_the_interval() {
        let p = Pacer::new(20.0);
        let start = Instant::now();
        let times = futures::future::join_all((0..5).map(|_| async {
            p.wait().await;
            Instant::now()
        }))
        .await;
        let mut times = times;
        times.sort();
        for w in times.windows(2) {
            assert!(
                w[1] - w[0] >= Duration::from_millis(50),
                "{:?}",
                w[1] - w[0]
            );
        }
        assert!(times[4] - start >= Duration::from_millis(200));
    }
}
