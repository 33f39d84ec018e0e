"""Moving data in from amoCRM and out again: the import wizard and «Выгрузить…»."""
