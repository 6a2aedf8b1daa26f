-- name: insert_artifact
INSERT INTO job_artifacts (job_id, file_name, content_type, bytes, sha256, poster_file, created_at)
VALUES (:job_id, :file_name, :content_type, :bytes, :sha256, :poster_file, :now)
ON CONFLICT (job_id) DO NOTHING

-- name: get_artifact
SELECT a.file_name, a.content_type, a.bytes, a.sha256, a.poster_file
FROM job_artifacts a JOIN jobs j ON j.id = a.job_id
WHERE a.job_id = :job_id AND (:account_id::uuid IS NULL OR j.account_id = :account_id)
