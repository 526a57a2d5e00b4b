"""Django's PostgreSQL engine, keeping a distributed database's keys distributed
(see services.distribution): on a database whose keys include the practice, a
migration's foreign key between tenant tables is created composite, and a new tenant
table's primary key includes the practice as soon as the table is created."""
