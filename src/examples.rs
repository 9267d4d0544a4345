//! The examples menu. The first is what a first visit shows. Each text is a file under
//! `src/examples/`, taken from the engine's reviewed fixtures (`crates/slimfile-core/tests/fixtures/convert`),
//! and converts as its title says (checked by the test below and in the browser test).

pub struct Example {
    pub title: &'static str,
    pub text: &'static str,
}

pub const EXAMPLES: &[Example] = &[
    Example { title: "Go on Ubuntu (the classic)", text: include_str!("examples/01-go-ubuntu.Dockerfile") },
    Example { title: "Rust, heredoc build", text: include_str!("examples/02-rust-heredoc.Dockerfile") },
    Example { title: "Node.js Express server", text: include_str!("examples/03-node-express.Dockerfile") },
    Example { title: "React single-page app", text: include_str!("examples/04-react-spa.Dockerfile") },
    Example { title: "Python Flask", text: include_str!("examples/05-python-flask.Dockerfile") },
    Example { title: "Spring Boot (Maven)", text: include_str!("examples/06-spring-boot.Dockerfile") },
    Example { title: ".NET ASP.NET Core", text: include_str!("examples/07-dotnet-aspnet.Dockerfile") },
    Example { title: "C++ with CMake", text: include_str!("examples/08-cpp-cmake.Dockerfile") },
    Example { title: "Multi-stage Java, unused stage", text: include_str!("examples/09-multi-stage-java.Dockerfile") },
    Example {
        title: "Refused: Angular dev server",
        text: include_str!("examples/10-refused-angular-dev-server.Dockerfile"),
    },
];

/// The index of the example whose text this is.
pub fn find(text: &str) -> Option<usize> {
    EXAMPLES.iter().position(|e| e.text == text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use slimfile_core::{RuntimeFamily, Status};

    #[test]
    fn every_example_converts_as_its_title_promises() {
        let expected = [
            (Status::Converted, Some(RuntimeFamily::DistrolessStatic)),
            (Status::Converted, Some(RuntimeFamily::DistrolessCc)),
            (Status::Converted, Some(RuntimeFamily::DistrolessNodejs)),
            (Status::Converted, Some(RuntimeFamily::Nginx)),
            (Status::Converted, Some(RuntimeFamily::Slim)),
            (Status::Converted, Some(RuntimeFamily::DistrolessJava)),
            (Status::Converted, Some(RuntimeFamily::DotnetAspnet)),
            (Status::Converted, Some(RuntimeFamily::DistrolessCc)),
            (Status::Converted, Some(RuntimeFamily::DistrolessJava)),
            (Status::Refused, None),
        ];
        assert_eq!(EXAMPLES.len(), expected.len());
        for (e, (status, runtime)) in EXAMPLES.iter().zip(expected) {
            let r = slimfile_core::convert(e.text, &Default::default());
            assert_eq!((r.status, r.runtime), (status, runtime), "{}", e.title);
            if status == Status::Refused {
                assert!(!r.reasons.is_empty());
            }
        }
        assert_eq!(
            EXAMPLES[0].text,
            "FROM ubuntu\nRUN apt-get update && apt-get install -y golang-go\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n"
        );
    }
}
