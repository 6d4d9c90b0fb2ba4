//! A writer that hashes the bytes it passes on, so that a large file (the
//! trials table) is listed in the manifest without being read again.

use std::fs::File;
use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};

use crate::scenario::load::to_hex;

/// Passes writes on to `W` and keeps the sha256 and the count of every
/// byte that `W` accepted.
#[derive(Debug)]
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> HashingWriter<W> {
    /// Hashes what is written to `inner` from now on.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// The size and hex sha256 of everything written so far.
    pub fn digest(&self) -> (u64, String) {
        (self.bytes, to_hex(&self.hasher.clone().finalize()))
    }

    /// The writer written to.
    pub fn get_ref(&self) -> &W {
        &self.inner
    }
}

impl HashingWriter<File> {
    /// Hashes `file` from its start up to its current length (a file
    /// reopened to be appended to), then what is written to it.
    pub fn resumed(mut file: File, len: u64) -> io::Result<Self> {
        use std::io::{Seek, SeekFrom};
        let mut hasher = Sha256::new();
        file.seek(SeekFrom::Start(0))?;
        let mut buf = vec![0u8; 1 << 16];
        let mut left = len;
        while left > 0 {
            let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            let n = file.read(&mut buf[..want])?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the file is shorter than its recorded length",
                ));
            }
            hasher.update(&buf[..n]);
            left -= n as u64;
        }
        file.seek(SeekFrom::Start(len))?;
        Ok(Self {
            inner: file,
            hasher,
            bytes: len,
        })
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_the_sha256_of_the_file_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let mut w =
            io::BufWriter::with_capacity(1000, HashingWriter::new(File::create(&path).unwrap()));
        for i in 0..5000u32 {
            writeln!(w, "{i},{}", i * 7).unwrap();
        }
        w.flush().unwrap();
        let got = w.get_ref().digest();
        drop(w);
        assert_eq!(got, crate::output::manifest::hash_file(&path).unwrap());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(got.1, to_hex(&Sha256::digest(&bytes)));
        // Reopened half way and appended to: the digest is still the file's.
        let half = got.0 / 2;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        file.set_len(half).unwrap();
        let mut w = HashingWriter::resumed(file, half).unwrap();
        w.write_all(b"tail\n").unwrap();
        let got = w.digest();
        drop(w);
        assert_eq!(got, crate::output::manifest::hash_file(&path).unwrap());
        assert_eq!(got.0, half + 5);
    }
}
