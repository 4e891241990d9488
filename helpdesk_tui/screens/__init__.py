"""The console's screens: thin; each gathers input, calls the Desk in a thread worker, renders."""
