"""The people's workspace: server-rendered pages where a unit's officer, leader and the city admin work."""
