"""The practice itself, as its administrator runs it: setting it up on an empty
database, the second factor every staff member enrols, invitations (staff, portal
logins, password resets) and the settings hub. Client information is never read here
except through the door, by the services that own it."""
