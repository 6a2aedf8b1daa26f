-- The planner judges each region's forecast by its track record (the forecasts as they were made, a lead ahead,
-- against the actuals): vintages are looked up by when they were made.
CREATE INDEX forecast_vintages_made ON forecast_vintages (region, made_at);
