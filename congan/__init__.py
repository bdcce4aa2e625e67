"""congan — Công an số, the digital platform of a provincial police force."""
