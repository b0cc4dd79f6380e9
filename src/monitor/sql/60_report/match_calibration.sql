-- One row per parameter of the matching model (m/u probabilities and the prior estimated from
-- the data), by parameter: its value.
select parameter, value
from match_calibration
order by parameter
