package io.ddm.sample.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Problem details (RFC 9457) for requests whose body breaks a validation rule, naming each field and its rule
 * ({@code items[0].quantity: must be greater than or equal to 1}) instead of Spring's field-less "Invalid request
 * content.". Replaces Boot's own problem-details handler, which backs off when an application defines one.
 */
@RestControllerAdvice
public class InvalidRequests extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
            .map((error) -> Map.of("field", error.getField(), "rule", String.valueOf(error.getDefaultMessage())))
            .toList();
        String detail = ex.getBindingResult().getFieldErrors().stream().map(InvalidRequests::describe)
            .collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail.isEmpty() ? "Invalid request content." : detail);
        problem.setTitle("Invalid request content");
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    private static String describe(FieldError error) {
        return error.getField() + ": " + error.getDefaultMessage();
    }

}
