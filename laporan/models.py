# Models arrive with their issue (evidence: issue 4, reports: issue 6).
