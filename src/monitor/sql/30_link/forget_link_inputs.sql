-- Forgets the last link's inputs before linking starts again: a link stopped halfway leaves
-- its tables half rebuilt, and no later night may take them as complete.
delete from stage_inputs where stage = 'link'
