"""The staff web application of a centre («portail»): server-rendered pages in French
for reception agents, coordinators, partner staff, analysts and the DPO, on the
centre's service APIs called with the signed-in user's token. It owns no data."""
