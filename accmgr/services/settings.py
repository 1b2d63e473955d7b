"""The stage rules in force: STAGE_RULES with the user's configured overrides."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal

from accmgr.config import Config
from accmgr.domain.stages import STAGE_RULES, Stage, StageRule


def rules_from_config(
    config: Config, base: Mapping[Stage, StageRule] = STAGE_RULES
) -> Mapping[Stage, StageRule]:
    """Each stage's rule with the probability and stall limit the config sets, if any."""
    rules: dict[Stage, StageRule] = {}
    for stage, rule in base.items():
        if stage in config.stage_probability:
            rule = dataclasses.replace(
                rule, default_probability=Decimal(config.stage_probability[stage])
            )
        if stage in config.stage_stall_days:
            rule = dataclasses.replace(rule, stall_days=config.stage_stall_days[stage])
        rules[stage] = rule
    return rules
