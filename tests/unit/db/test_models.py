"""The models match the schema the migrations build, so the code and a migrated shop never disagree."""

from __future__ import annotations

import peewee
import pytest

from shopdesk.db.models import ALL_MODELS, Category, Member, Purchase, Setting


def test_every_model_matches_the_migrated_schema(db: peewee.Database) -> None:
    differences = []
    for model in ALL_MODELS:
        table = model._meta.table_name
        in_database = {column.name: column for column in db.get_columns(table)}
        in_model = {field.column_name: field for field in model._meta.sorted_fields}
        if set(in_model) != set(in_database):
            differences.append(f"{table}: model {sorted(in_model)} != database {sorted(in_database)}")
            continue
        differences += [
            f"{table}.{name}: null={field.null} in the model"
            for name, field in in_model.items()
            if in_database[name].null != field.null
        ]
    assert differences == []


def _unique_columns(db: peewee.Database, table: str) -> set[tuple[str, ...]]:
    return {tuple(index.columns) for index in db.get_indexes(table) if index.unique}


def test_identities_are_unique_in_the_database(db: peewee.Database) -> None:
    # The services rely on these to refuse a second member with a phone, a sale saved twice, and so on.
    assert ("phone",) in _unique_columns(db, Member._meta.table_name)
    assert ("uid",) in _unique_columns(db, Purchase._meta.table_name)
    assert ("name",) in _unique_columns(db, Category._meta.table_name)


def test_money_columns_are_integers(db: peewee.Database) -> None:
    for model in ALL_MODELS:
        for field in model._meta.sorted_fields:
            if field.name.endswith("_fen"):
                assert isinstance(field, peewee.IntegerField), f"{model.__name__}.{field.name}"


def test_settings_are_keyed_by_name(db: peewee.Database) -> None:
    assert Setting._meta.primary_key.name == "key"
    Setting.insert(key="shop_name", value='"A"').execute()
    with pytest.raises(peewee.IntegrityError), db.atomic():
        Setting.insert(key="shop_name", value='"B"').execute()
