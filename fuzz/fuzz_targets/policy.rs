#![no_main]
//! The policy comparison against the independent evaluator of the tests
//! (`tests/oracle/`): whatever two documents, the comparison never says equal
//! or narrowed when the new one treats a request better, and every witness it
//! names is one. The input is a JSON array `[old, new]` of two documents, or
//! any bytes, which seed the generator of documents, edits and requests.

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "../../tests/oracle/eval.rs"]
#[allow(dead_code)]
mod eval;
#[path = "../../tests/oracle/gen.rs"]
#[allow(dead_code)]
mod generator;
#[path = "../../tests/oracle/property.rs"]
#[allow(dead_code)]
mod property;

use generator::Rng;

fuzz_target!(|data: &[u8]| {
    let mut seed = 0xcbf2_9ce4_8422_2325u64;
    for b in data {
        seed = (seed ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut rng = Rng::new(seed);
    let given = match serde_json::from_slice::<Value>(data) {
        Ok(Value::Array(items)) if items.len() == 2 && items.iter().all(Value::is_object) => {
            let trust = items.iter().any(|d| d.to_string().contains("\"Principal"));
            Some((items[0].clone(), items[1].clone(), trust))
        }
        _ => None,
    };
    let (old, new, trust) = given.unwrap_or_else(|| {
        let trust = rng.chance(1, 2);
        let old = generator::document(&mut rng, trust);
        let mut new = old.clone();
        for _ in 0..=rng.below(3) {
            new = generator::edit(&mut rng, &new, trust);
        }
        (old, new, trust)
    });
    let requests: Vec<eval::Request> = (0..32)
        .map(|_| generator::request(&mut rng, &old, &new, trust))
        .collect();
    let mut tally = property::Tally::default();
    for (a, b) in [(&old, &new), (&new, &old)] {
        if let Err(failure) = property::check(a, b, &requests, &mut tally) {
            panic!("{failure}");
        }
    }
});
