"""openai-origins: validate the hand-curated CSVs and publish them as typed Parquet."""
