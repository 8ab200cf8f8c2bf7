//! Key store figures (not a test): open + list a 1,000-entry store, and RSA-2048 generation.
//!
//!   cargo bench --bench store                 # in-process figures
//!   STORE_OUT=/tmp/ts-bench cargo bench --bench store   # also leave the store there, for
//!   hyperfine on the real binary (benches/store.sh does both)

use std::time::{Duration, Instant};

use tokensmith::store::keygen::{GenKind, generate};
use tokensmith::store::{StoreDir, import_entry, secret_entry};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let keep = std::env::var_os("STORE_OUT").map(std::path::PathBuf::from);
    let temp = tempfile::tempdir().expect("tempdir");
    let home = keep.clone().unwrap_or_else(|| temp.path().to_path_buf());
    let dir = StoreDir::new(&home.join("data"));
    let _ = std::fs::remove_file(dir.path());
    let pem = include_str!("../tests/fixtures/keys/rsa2048-pkcs8.pem");
    dir.update(None, None, |entries| {
        for i in 0..1000 {
            let entry = if i % 2 == 0 {
                secret_entry(
                    &format!("secret-{i}"),
                    format!("secret-value-{i}-0123456789").into_bytes(),
                    false,
                    0,
                )?
            } else {
                import_entry(&format!("rsa-{i}"), pem, 0)?
            };
            entries.push(entry);
        }
        Ok(())
    })
    .expect("store written");
    let size = std::fs::metadata(dir.path()).map(|m| m.len()).unwrap_or(0);

    let mut opens = Vec::new();
    for _ in 0..30 {
        let start = Instant::now();
        let store = dir.open(None).expect("opens");
        let lines: Vec<String> =
            store.entries.iter().map(|e| format!("{} {} {}", e.name, e.kind, e.masked())).collect();
        assert_eq!(lines.len(), 1000);
        opens.push(start.elapsed());
    }
    println!("open + list 1,000 entries ({} KB): median {:?} of 30", size / 1024, median(opens));

    let mut gens = Vec::new();
    for i in 0..10 {
        let start = Instant::now();
        generate(GenKind::Rsa2048, &format!("g{i}"), 0).expect("generates");
        gens.push(start.elapsed());
    }
    let (min, max) = (gens.iter().min().copied(), gens.iter().max().copied());
    println!(
        "RSA-2048 generation: median {:?} of 10 (min {:?}, max {:?})",
        median(gens),
        min.unwrap_or_default(),
        max.unwrap_or_default()
    );
    if let Some(path) = keep {
        println!("store left at {} (TOKENSMITH_HOME)", path.display());
    }
}
