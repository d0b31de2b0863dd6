"""AtoM's CSV in: the ISAD(G) information-object CSV (profile `atom`) and the authority-record CSV (profile
`atom-authorities`), read whole, checked whole and written in one import batch that undo removes.

An AtoM file is a tree whose parents may come after their children, so unlike the native kinds it is not
streamed chunk by chunk: every row is read and checked before anything is written (columns.py says where each
column goes, plan.py checks and resolves, write.py writes, undo.py takes a batch back out).
"""
