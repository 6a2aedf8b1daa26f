-- The files a succeeded job produced: its video and poster frame, with size and SHA-256 recorded at completion.
CREATE TABLE job_artifacts (
  job_id        uuid PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
  file_name     text NOT NULL,
  content_type  text NOT NULL,
  bytes         bigint NOT NULL CHECK (bytes >= 0),
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  poster_file   text,
  created_at    timestamptz NOT NULL
);
