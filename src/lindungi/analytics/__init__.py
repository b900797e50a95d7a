"""Analytics: the indicators that show whether the gaps are closing, over time and by
destination, channel and handling agency; their charts, the monthly report (HTML and
PDF) and the indicator tables (CSV and Parquet)."""
