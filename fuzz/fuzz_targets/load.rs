//! Fuzzes the scenario loader and validator with arbitrary bytes: whatever
//! the input, loading must return diagnostics or a scenario, never panic;
//! every refusal must carry an error; a leading UTF-8 byte-order mark must
//! not change the verdict; and a scenario that validates must compile and
//! run a trial.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.toml");
    let result = brink::scenario::load_bytes(path, data);
    // A byte-order mark in front changes nothing but the hash.
    if !data.starts_with(b"\xef\xbb\xbf") && data.len() + 3 <= brink::scenario::load::MAX_FILE_BYTES {
        let with_bom = [b"\xef\xbb\xbf".as_slice(), data].concat();
        let again = brink::scenario::load_bytes(path, &with_bom);
        assert_eq!(result.is_ok(), again.is_ok(), "a BOM changed the verdict");
    }
    match result {
        Ok((scenario, warnings)) => {
            assert!(!warnings.has_errors());
            let model = brink::model::Model::compile(&scenario);
            let coef = model.base_coefficients();
            let mut runner = brink::engine::TrialRunner::new(&model, 1);
            let mut counts = vec![0u32; model.n_moves()];
            let record = runner.run(&coef, 0, &mut counts, &mut ());
            assert!(record.steps <= scenario.horizon);
        }
        Err(diags) => {
            assert!(diags.has_errors(), "refused without an error");
            // Rendering must not panic either (spans, carets, odd characters).
            let _ = diags.to_string();
        }
    }
});
