-- At most one row: how many persons the state knows (N, the population the u probabilities
-- and the posteriors are taken over).
select count(*) as persons
from persons
