"""The GraphQL benchmark's parts: the profile base, the two servers, the floor and the load."""
