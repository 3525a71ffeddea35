using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Nudge.Core.Tests")]
