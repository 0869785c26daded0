"""`python -m baton_bridge`: the stdio worker."""

from .stdio import main

if __name__ == "__main__":
    main()
